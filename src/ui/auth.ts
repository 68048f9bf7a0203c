import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';

export const UI_COOKIE = 'vaultline_ui';
/** Sent by the UI's own scripts with every request that changes something: a cross-site form cannot. */
export const UI_WRITE_HEADER = 'x-vaultline-ui';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || host.startsWith('127.');
}

function same(given: string | undefined, token: string): boolean {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function presented(c: Context): string | undefined {
  const header = c.req.header('authorization');
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length);
  return getCookie(c, UI_COOKIE);
}

/**
 * The UI's door. On loopback (the default) the machine's users are trusted as the CLI trusts them; bound
 * to any other address, every request must carry VAULTLINE_UI_TOKEN (the login page sets it as an
 * HttpOnly, SameSite=Strict cookie, or an `Authorization: Bearer` header). Requests that change
 * something must also carry the UI's write header, so another site cannot make a browser send them.
 */
export function uiAuth(token: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    const path = c.req.path;
    // The orchestrator's API has its own token (server.json); the UI's door is for the UI.
    if (path.startsWith('/api/')) return next();
    if (path === '/login' || path.startsWith('/assets/login')) return next();
    if (token !== undefined && !same(presented(c), token)) {
      if (path.startsWith('/ui/api/'))
        return c.json({ error: 'this UI needs its token: log in at /login' }, 401);
      return c.redirect(`/login?next=${encodeURIComponent(path)}`, 302);
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && c.req.header(UI_WRITE_HEADER) !== '1')
      return c.json({ error: `requests that change something need the ${UI_WRITE_HEADER}: 1 header` }, 403);
    return next();
  };
}

export function loginRoutes(token: string | undefined) {
  return {
    page: (c: Context) =>
      c.html(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>vaultline — log in</title>
<link rel="stylesheet" href="/assets/style.css"></head><body class="login">
<form method="post" action="/login"><h1>vaultline</h1>
<p>This UI is served beyond this machine: give the token the server was started with (VAULTLINE_UI_TOKEN).</p>
<input type="hidden" name="next" value="${escapeAttribute(c.req.query('next') ?? '/')}">
<label>Token <input type="password" name="token" autocomplete="current-password" autofocus></label>
<button type="submit">Log in</button></form></body></html>`),
    submit: async (c: Context) => {
      if (token === undefined) return c.redirect('/', 302);
      const form = await c.req.parseBody();
      const given = typeof form.token === 'string' ? form.token : '';
      const next =
        typeof form.next === 'string' && form.next.startsWith('/') && !form.next.startsWith('//')
          ? form.next
          : '/';
      if (!same(given, token))
        return c.html('<!doctype html><p>Wrong token. <a href="/login">Try again</a>.</p>', 401);
      setCookie(c, UI_COOKIE, token, { httpOnly: true, sameSite: 'Strict', path: '/' });
      return c.redirect(next, 302);
    },
  };
}

function escapeAttribute(text: string): string {
  return text.replace(
    /[&"<>]/g,
    (ch) => ({ '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' })[ch] ?? ch,
  );
}
