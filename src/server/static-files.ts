// The dashboard's built files (dist/web, from web/ by `npm run build`): hashed assets cached for a year,
// index.html for every other non-API path (the dashboard routes on the client), and a same-origin-only
// Content-Security-Policy on all of it. Paths under /api/ are never answered here.

import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context, Hono } from 'hono';

/** Scripts, styles, images, fonts and API calls from this origin only; no frames, plugins or inline code. */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Vite names built assets `name-<hash>.ext` under assets/: their content never changes under a name. */
const HASHED_ASSET = /^\/assets\/[^/]+-[\w-]{8,}\.\w+$/;

/** The built dashboard: dist/web beside dist/server when running built, else the repository's dist/web. */
export function defaultDashboardRoot(): string | null {
  const candidates = [new URL('../web/', import.meta.url), new URL('../../dist/web/', import.meta.url)];
  for (const candidate of candidates) {
    const root = fileURLToPath(candidate);
    if (existsSync(join(root, 'index.html'))) return root;
  }
  return null;
}

/** Serves the dashboard from `root` for GET and HEAD on non-API paths; a missing root serves nothing. */
export function mountStaticFiles(app: Hono, root: string | null): void {
  if (root === null) return;
  // Middleware rather than a GET route: the app's route list stays the API's (the permission test reads it).
  app.use('*', async (c, next) => {
    const path = c.req.path;
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    if (path === '/api' || path.startsWith('/api/')) return next();
    const file = await findFile(root, path);
    if (file !== null) return send(c, file, HASHED_ASSET.test(path));
    // A missing file with an extension is a missing file; any other path is a client-side route.
    if (extname(path) !== '') return next();
    return send(c, join(root, 'index.html'), false);
  });
}

/** The file under `root` that `urlPath` names, or null (outside root, a folder, or absent). */
async function findFile(root: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded === '/') return null;
  const file = normalize(join(root, decoded));
  if (!file.startsWith(root.endsWith(sep) ? root : root + sep)) return null;
  try {
    return (await stat(file)).isFile() ? file : null;
  } catch {
    return null;
  }
}

async function send(c: Context, file: string, immutable: boolean): Promise<Response> {
  const body = await readFile(file);
  c.header('Content-Type', CONTENT_TYPES[extname(file)] ?? 'application/octet-stream');
  // index.html is checked every time so a new build's asset names are picked up at once.
  c.header('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  c.header('Content-Security-Policy', DASHBOARD_CSP);
  if (c.req.method === 'HEAD') return c.body(null, 200);
  return c.body(new Uint8Array(body.buffer, body.byteOffset, body.byteLength), 200);
}
