// For browser tests: the built `churnwatch serve` over a fresh temporary workspace, on 127.0.0.1 and a free
// port, its first admin's password set through CHURNWATCH_ADMIN_PASSWORD (the first-start code path).

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, tempDir } from '../cli-helpers.js';

const main = join(repoRoot, 'dist/cli/main.js');

/** A running `churnwatch serve`. */
export interface ServedWorkspace {
  url: string;
  workspace: string;
  /** What the server wrote to stderr so far. */
  stderr(): string;
  /** Stops it with SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `churnwatch serve --json` on a fresh workspace and resolves once it listens. */
export function serveFreshWorkspace(adminPassword: string): Promise<ServedWorkspace> {
  return serveWorkspace(tempDir('churnwatch-browser-'), adminPassword);
}

/** Starts `churnwatch serve --json` on `workspace` and resolves once it listens. */
export function serveWorkspace(workspace: string, adminPassword: string): Promise<ServedWorkspace> {
  if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
  const child = spawn(
    'node',
    [main, 'serve', '--workspace', workspace, '--port', '0', '--host', '127.0.0.1', '--json'],
    {
      env: { ...process.env, CHURNWATCH_ADMIN_PASSWORD: adminPassword },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`serve did not start within 30 s: ${stderr}`));
    }, 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}: ${stderr}`));
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const newline = stdout.indexOf('\n');
      if (newline < 0) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      const line = JSON.parse(stdout.slice(0, newline)) as { url: string };
      resolve({ url: line.url, workspace, stderr: () => stderr, stop: () => stop(child) });
    });
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('serve did not stop within 10 s of SIGTERM'));
    }, 10_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.kill('SIGTERM');
  });
}
