// The page shell: a hash router (#/page/arg…) that loads one page module from /assets/pages/ and
// calls its render(container, args). Each page module owns its part of the screen.
import { getJson, h } from './api.js';

const PAGES = {
  home: 'home',
  lineage: 'lineage',
  node: 'lineage',
  runs: 'runs',
  run: 'runs',
  dashboards: 'dashboards',
  dashboard: 'dashboards',
  provenance: 'provenance',
  landing: 'landing',
  object: 'landing',
};
let current;

async function route() {
  const [name = 'home', ...args] = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const page = name === '' ? 'home' : name;
  const container = document.getElementById('page');
  for (const link of document.querySelectorAll('nav a'))
    link.classList.toggle('active', PAGES[page] === link.dataset.page);
  current?.dispose?.();
  current = undefined;
  container.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  const module = PAGES[page];
  if (!module) {
    container.replaceChildren(h('p', { class: 'error' }, `No page "${page}".`));
    return;
  }
  try {
    const { render } = await import(`/assets/pages/${module}.js`);
    current = (await render(container, page, args)) ?? undefined;
  } catch (error) {
    container.replaceChildren(h('p', { class: 'error' }, `This page failed to load: ${error.message}`));
  }
}

window.addEventListener('hashchange', route);
getJson('/ui/api/project')
  .then((project) => {
    document.getElementById('project').textContent = `${project.name} · ${project.warehouse}`;
    document.title = `vaultline — ${project.name}`;
  })
  .catch(() => undefined);
route();
