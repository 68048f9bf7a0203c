// The static docs' shell (`vaultline docs generate`): the lineage and node pages only, over the data
// inlined in the page; the same hash routes as the served UI (#/lineage/…, #/node/<id>).
async function route() {
  const [name = 'lineage', ...args] = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const page = name === 'node' ? 'node' : 'lineage';
  const container = document.getElementById('page');
  container.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  try {
    await render(container, page, name === 'node' || name === 'lineage' ? args : []);
  } catch (error) {
    container.replaceChildren(h('p', { class: 'error' }, error.message));
  }
}

window.addEventListener('hashchange', route);
document.getElementById('project').textContent =
  `${globalThis.VAULTLINE_DATA.project.name} · docs generated ${globalThis.VAULTLINE_DATA.generated_at}`;
route();
