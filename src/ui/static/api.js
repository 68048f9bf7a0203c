// The UI's only way to the server: JSON over /ui/api, with the write header on anything that changes
// something (the server refuses such requests without it, so another site cannot send them).
export async function getJson(path) {
  if (globalThis.VAULTLINE_DATA) return staticAnswer(globalThis.VAULTLINE_DATA, path);
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  const body = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
  if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
  return body;
}

export async function postJson(path, value = {}) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-vaultline-ui': '1' },
    body: JSON.stringify(value),
  });
  const body = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
  if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
  return body;
}

/** An element from a tag, attributes and children (text is always text: nothing is parsed as HTML). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/**
 * The static docs (`vaultline docs generate`) have no server: their data is inlined in the page, and
 * the lineage's selector is answered here for the forms a reader types most — a name, `N+name+M`,
 * `+name+` — plus search; anything richer needs `vaultline serve`.
 */
function staticAnswer(data, path) {
  const url = new URL(path, 'http://docs');
  if (url.pathname === '/ui/api/project') return data.project;
  if (url.pathname.startsWith('/ui/api/nodes/')) {
    const node = data.nodes[decodeURIComponent(url.pathname.slice('/ui/api/nodes/'.length))];
    if (!node) throw new Error('this node is not in the generated docs');
    return node;
  }
  if (url.pathname !== '/ui/api/graph')
    throw new Error(`the static docs have no ${url.pathname}: run vaultline serve`);
  const tests = url.searchParams.get('tests') === '1';
  const search = (url.searchParams.get('search') ?? '').toLowerCase();
  let nodes = data.graph.nodes.filter((n) => tests || n.kind !== 'test');
  const select = (url.searchParams.get('select') ?? '').trim();
  if (select) {
    const match = /^(\d*)(\+?)([A-Za-z0-9_.-]+)(\+?)(\d*)$/.exec(select);
    if (!match)
      throw new Error(
        'the static docs understand name, N+name+M and +name+; run vaultline serve for every selector',
      );
    const [, upHops, upPlus, name, downPlus, downHops] = match;
    const start = nodes.find((n) => n.name === name || n.id === name);
    if (!start) throw new Error(`no node named ${name}`);
    const reach = (forward, hops) => {
      const seen = new Set([start.id]);
      let frontier = [start.id];
      for (let depth = 0; frontier.length > 0 && (hops === Infinity || depth < hops); depth++) {
        const next = [];
        for (const [from, to] of data.graph.edges) {
          const [a, b] = forward ? [from, to] : [to, from];
          if (frontier.includes(a) && !seen.has(b)) {
            seen.add(b);
            next.push(b);
          }
        }
        frontier = next;
      }
      return seen;
    };
    const hops = (plus, digits) => (plus ? (digits ? Number(digits) : Number.POSITIVE_INFINITY) : 0);
    const keep = new Set([...reach(false, hops(upPlus, upHops)), ...reach(true, hops(downPlus, downHops))]);
    nodes = nodes.filter((n) => keep.has(n.id));
  }
  if (search)
    nodes = nodes.filter((n) =>
      [n.name, n.id, n.path ?? '', ...(n.tags ?? [])].some((t) => t.toLowerCase().includes(search)),
    );
  const matched = nodes.length;
  nodes = nodes.slice(0, 300);
  const ids = new Set(nodes.map((n) => n.id));
  return {
    nodes,
    edges: data.graph.edges.filter(([from, to]) => ids.has(from) && ids.has(to)),
    matched,
    omitted: matched - nodes.length,
    warnings: [],
  };
}
