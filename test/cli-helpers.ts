// Running the built CLI as a user would, for end-to-end tests.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const repoRoot = new URL('..', import.meta.url).pathname;
const main = join(repoRoot, 'dist/cli/main.js');

/** What a CLI run printed and returned. */
export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `churnwatch ARGS` from the built dist/ (npm test builds it first). */
export function cli(args: string[], options: { cwd?: string; timeout?: number } = {}): CliRun {
  if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
  const run = spawnSync('node', [main, ...args], {
    cwd: options.cwd,
    encoding: 'utf8',
    timeout: options.timeout ?? 120_000,
    env: { ...process.env, CHURNWATCH_DEBUG: '' },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** A fresh temporary directory. */
export function tempDir(prefix = 'churnwatch-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes `content` (text or bytes) to `name` in `dir` and returns the path. */
export function writeFile(dir: string, name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
