// What the browser is sent for the dashboard (src/server/static-files.ts serving dist/web): index.html for
// every non-API path, hashed assets cached for a year, a same-origin Content-Security-Policy, the JSON
// errors kept for /api/*, no way out of the folder, and the first-load JavaScript under 300 kB gzipped.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/server/testing/test-server.js';
import { repoRoot } from './cli-helpers.js';

const webRoot = join(repoRoot, 'dist/web');
const FIRST_LOAD_BUDGET = 300 * 1024;
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ dashboardRoot: webRoot });
});
afterAll(() => server.close());

/** The scripts index.html loads before anything is clicked: the entry and its modulepreloads. */
function firstLoadScripts(): string[] {
  const html = readFileSync(join(webRoot, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script type="module"[^>]*src="([^"]+)"/g)].map((match) => match[1]);
  const preloads = [...html.matchAll(/<link rel="modulepreload"[^>]*href="([^"]+)"/g)].map(
    (match) => match[1],
  );
  return [...scripts, ...preloads];
}

describe('the dashboard files', () => {
  it('answers index.html for the root and client-side routes, not cached, under a same-origin CSP', async () => {
    for (const path of ['/', '/at-risk', '/customers/C0002051']) {
      const response = await server.client().request('GET', path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(response.text).toContain('<div id="root"></div>');
    }
  });

  it('caches hashed assets for a year and keeps the JSON errors for the API and missing files', async () => {
    const client = server.client();
    const [entry] = firstLoadScripts();
    const asset = await client.request('GET', entry);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');

    const api = await client.request('GET', '/api/nothing-here');
    expect(api.status).toBe(404);
    expect(api.headers.get('cache-control')).toBe('no-store');
    expect(api.body).toMatchObject({ error: { code: 'not_found' } });

    for (const path of [
      '/assets/missing-0123abcd.js',
      '/..%2f..%2fpackage.json',
      '/%2e%2e/%2e%2e/package.json',
    ]) {
      const missing = await client.request('GET', path);
      expect(missing.status, path).toBe(404);
      expect(missing.body, path).toMatchObject({ error: { code: 'not_found' } });
    }
    const post = await client.request('POST', '/at-risk', { json: {} });
    expect(post.status).toBe(404);
  });

  it('keeps the first-load JavaScript under 300 kB gzipped', () => {
    const scripts = firstLoadScripts();
    expect(scripts.length).toBeGreaterThan(0);
    const bytes = scripts
      .map((src) => gzipSync(readFileSync(join(webRoot, src))).length)
      .reduce((sum, size) => sum + size, 0);
    console.log(
      `dashboard first-load JavaScript: ${(bytes / 1024).toFixed(1)} kB gzipped (${scripts.join(', ')})`,
    );
    expect(bytes).toBeLessThan(FIRST_LOAD_BUDGET);
  });
});
