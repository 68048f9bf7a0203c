import { Hono } from 'hono';
import { type Asset, loadAssets } from './assets.ts';
import { loginRoutes, uiAuth } from './auth.ts';
import type { UiDeps } from './deps.ts';
import { registerUiRoutes } from './routes/index.ts';

/**
 * The web UI as a Hono app, separate from the server entry so tests call it with `app.request(…)`
 * without a socket. `vaultline serve` mounts it beside the API. `token` is VAULTLINE_UI_TOKEN, required
 * when the server is bound beyond loopback (server/serve.ts refuses to start without it).
 */
export function createUiApp(deps: UiDeps, options: { token?: string } = {}): Hono {
  const app = new Hono();
  const assets = loadAssets();
  const login = loginRoutes(options.token);
  app.use('*', uiAuth(options.token));
  app.get('/login', login.page);
  app.post('/login', login.submit);
  const send = (asset: Asset) =>
    new Response(new Uint8Array(asset.body), {
      headers: {
        'content-type': asset.type,
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
      },
    });
  app.get('/', () => send(assets.get('/assets/index.html') as Asset));
  app.get('/assets/*', (c) => {
    const asset = assets.get(c.req.path);
    return asset ? send(asset) : c.text('not found', 404);
  });
  app.get('/vendor/*', (c) => {
    const asset = assets.get(c.req.path);
    return asset ? send(asset) : c.text('not found', 404);
  });
  registerUiRoutes(app, deps);
  return app;
}
