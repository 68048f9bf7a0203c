import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

export interface Asset {
  body: Buffer;
  type: string;
}

const STATIC_DIR = join(dirname(fileURLToPath(import.meta.url)), 'static');
const require = createRequire(import.meta.url);

/**
 * Every file the UI serves, read once at start into a map from URL path to bytes: the page shell and
 * scripts under src/ui/static (at /assets/…), and the two libraries from the package's own
 * node_modules (at /vendor/…) — nothing from a CDN, so it works offline, and no request can name a
 * file outside this list.
 */
export function loadAssets(): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && TYPES[extname(entry.name)]) {
        const url = `/assets/${relative(STATIC_DIR, path).split(sep).join('/')}`;
        assets.set(url, { body: readFileSync(path), type: TYPES[extname(entry.name)] as string });
      }
    }
  };
  walk(STATIC_DIR);
  const vendor = (url: string, file: string) =>
    assets.set(url, { body: readFileSync(file), type: TYPES['.js'] as string });
  vendor('/vendor/echarts.js', require.resolve('echarts/dist/echarts.min.js'));
  vendor(
    '/vendor/dagre.js',
    join(dirname(require.resolve('@dagrejs/dagre/package.json')), 'dist', 'dagre.js'),
  );
  return assets;
}
