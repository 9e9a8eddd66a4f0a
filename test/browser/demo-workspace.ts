// For browser tests: a scored demo workspace built with the built CLI (`churnwatch demo --json`, then
// `churnwatch analyze inactivity` for the return curve), so the dashboard's data pages have data.

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot, tempDir } from '../cli-helpers.js';

const run = promisify(execFile);
const main = join(repoRoot, 'dist/cli/main.js');

/**
 * Builds a demo workspace of about `customers` customers, scored now and on the first day of each of the
 * `historyMonths` months before (the demo's default: 3); resolves with its folder.
 */
export async function buildDemoWorkspace(customers: number, historyMonths = 3): Promise<string> {
  const workspace = tempDir('churnwatch-browser-demo-');
  const options = { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024, timeout: 120_000 };
  await run(
    'node',
    [
      main,
      'demo',
      '--workspace',
      workspace,
      '--customers',
      String(customers),
      '--history-months',
      String(historyMonths),
      '--json',
    ],
    options,
  );
  await run('node', [main, 'analyze', 'inactivity', '--workspace', workspace, '--json'], options);
  return workspace;
}
