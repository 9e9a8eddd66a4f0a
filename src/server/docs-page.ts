// A plain, readable HTML page listing every operation: method, path, who may call it, what it does and
// its request fields, then the permission matrix. No scripts, no external assets.

import { z } from 'zod';
import { PERMISSIONS, permissionTable } from '../security/permissions.js';
import { ROLES } from '../security/roles.js';
import type { Route } from './route.js';

/** The docs page for `routes`. */
export function docsPage(routes: readonly Route[], version: string): string {
  const tags = [...new Set(routes.map((route) => route.tag))];
  const sections = tags.map((tag) => {
    const rows = routes.filter((route) => route.tag === tag).map(operationRow);
    return `<h2>${escapeHtml(tag)}</h2>
<table><thead><tr><th>Operation</th><th>Who</th><th>What</th><th>Request</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
  });
  const matrix = permissionTable()
    .map(
      (row) =>
        `<tr><td><code>${escapeHtml(row.action)}</code></td>${ROLES.map((role) => `<td>${row.roles[role] ? '✓' : ''}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>churnwatch API ${escapeHtml(version)}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1d232b}
table{border-collapse:collapse;width:100%;margin-bottom:1.5rem}th,td{border-bottom:1px solid #dde;padding:.4rem .6rem;text-align:left;vertical-align:top}
code{font-size:13px}.m{font-weight:600;display:inline-block;min-width:4.2rem}small{color:#556}
</style></head><body>
<h1>churnwatch API <small>${escapeHtml(version)}</small></h1>
<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1). Log in with
<code>POST /api/auth/login</code> (a session cookie; unsafe requests send the <code>X-CSRF-Token</code> header
from <code>GET /api/auth/me</code>) or send an API token as <code>Authorization: Bearer &lt;token&gt;</code>.
Errors answer <code>{"error": {"code", "message", "where"}}</code>.</p>
${sections.join('\n')}
<h2>Permissions</h2>
<table><thead><tr><th>Action</th>${ROLES.map((role) => `<th>${role}</th>`).join('')}</tr></thead>
<tbody>${matrix}</tbody></table>
</body></html>`;
}

function operationRow(route: Route): string {
  const who =
    route.access === 'public'
      ? 'anyone'
      : route.access === 'signed-in'
        ? `any signed-in ${route.sessionOnly ? 'user' : 'user or token'}`
        : `<code>${escapeHtml(route.access)}</code>: ${PERMISSIONS[route.access].join(', ')}`;
  return `<tr><td><span class="m">${route.method}</span><code>${escapeHtml(route.path)}</code></td><td>${who}</td>
<td>${escapeHtml(route.summary)}</td><td>${requestFields(route)}</td></tr>`;
}

/** The top-level fields of the body and query, with type and whether required. */
function requestFields(route: Route): string {
  const parts: string[] = [];
  for (const [where, schema] of [
    ['body', route.body],
    ['query', route.query],
  ] as const) {
    if (!schema) continue;
    const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
      properties?: Record<string, { type?: string; enum?: unknown[]; $ref?: string }>;
      required?: string[];
    };
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      const type = property.enum
        ? property.enum.join(' | ')
        : (property.type ?? property.$ref?.split('/').at(-1) ?? 'value');
      const optional = json.required?.includes(name) ? '' : '?';
      parts.push(`<code>${where}.${escapeHtml(name)}${optional}</code>: ${escapeHtml(String(type))}`);
    }
  }
  return parts.join('<br>');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
