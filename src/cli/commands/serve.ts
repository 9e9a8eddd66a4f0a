// `churnwatch serve`: the HTTP API over a workspace. Prints the URL (and, on first start, the admin's
// one-time password, once); stops cleanly on SIGINT/SIGTERM, closing the warehouse.

import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { startWorkspaceDelivery } from '../../alerts/serve-delivery.js';
import { warmCustomerViews } from '../../customer360/customer-view.js';
import { InputError } from '../../errors.js';
import { warmCustomerList } from '../../queries/list-customers.js';
import { ADMIN_PASSWORD_ENV, ensureFirstAdmin, type FirstAdmin } from '../../security/first-admin.js';
import { createApp } from '../../server/app.js';
import { listen } from '../../server/listen.js';
import { openWarehouse } from '../../warehouse/warehouse.js';
import { intOption } from '../options.js';

/** What `serve` needs; `demo` passes the same to serve the workspace it has just built. */
export interface ServeFlags {
  workspace: string;
  port: number;
  host: string;
  json: boolean;
}

/** Adds the serve command. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the HTTP API for a workspace (users, roles, tokens; see /api/docs)')
    .option('--workspace <dir>', 'the workspace folder', './churnwatch-data')
    .option('--port <n>', 'TCP port (0 picks a free one)', intOption('--port', 0, 65_535), 7400)
    .option('--host <address>', 'address to listen on; 127.0.0.1 keeps it to this machine', '127.0.0.1')
    .option('--json', 'print one JSON line when listening, nothing else', false)
    .action(async (flags: ServeFlags) => {
      await serveWorkspace(flags);
    });
}

/** Serves the workspace until SIGINT or SIGTERM, printing the URL and first-start login. */
export async function serveWorkspace(flags: ServeFlags): Promise<void> {
  const workspace = resolve(flags.workspace);
  if (!existsSync(workspace) || !statSync(workspace).isDirectory()) {
    throw new InputError(
      `workspace ${workspace} does not exist: run \`churnwatch init\` or \`churnwatch demo\` first`,
      { key: '--workspace' },
    );
  }
  const warehouse = await openWarehouse(workspace);
  try {
    const firstAdmin = await ensureFirstAdmin(warehouse, {
      password: process.env[ADMIN_PASSWORD_ENV] || undefined,
      now: Date.now(),
    });
    // The list and the 360° views answer from memory: load it before the first request rather than during it.
    await Promise.all([warmCustomerList(warehouse), warmCustomerViews(warehouse)]);
    const server = await listen(createApp({ warehouse, workspace }), { host: flags.host, port: flags.port });
    process.stdout.write(
      flags.json
        ? `${JSON.stringify(summary(server.url, workspace, firstAdmin))}\n`
        : banner(server.url, workspace, firstAdmin, flags.host),
    );
    const delivery = startWorkspaceDelivery(warehouse, workspace);
    const signal = await nextSignal();
    if (!flags.json) process.stdout.write(`\n${signal}: stopping\n`);
    await delivery?.stop();
    await server.close();
  } finally {
    warehouse.close();
  }
}

/** The --json line; `admin` is present on first start only. */
function summary(url: string, workspace: string, firstAdmin: FirstAdmin | null) {
  return {
    url,
    workspace,
    docs: `${url}/api/docs`,
    ...(firstAdmin
      ? { admin: { username: firstAdmin.username, password: firstAdmin.password ?? null } }
      : {}),
  };
}

function banner(url: string, workspace: string, firstAdmin: FirstAdmin | null, host: string): string {
  const lines = [`churnwatch serving ${workspace}`, `  ${url}  (API docs: ${url}/api/docs)`];
  if (firstAdmin) {
    lines.push(
      '',
      firstAdmin.password
        ? `First start: created user "${firstAdmin.username}" with one-time password ${firstAdmin.password}`
        : `First start: created user "${firstAdmin.username}" with the password from ${ADMIN_PASSWORD_ENV}`,
      '  It is shown only now; change it at first login (the API asks for it before anything else).',
    );
  }
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
    lines.push('', 'Listening beyond this machine over plain HTTP: put a TLS proxy in front of it.');
  }
  lines.push('', 'Ctrl-C stops the server.');
  return `${lines.join('\n')}\n`;
}

/** Resolves with the name of the first SIGINT or SIGTERM. */
function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolveSignal) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolveSignal(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}
