// `churnwatch serve` end to end through the built CLI: first start creates an admin with a one-time password
// printed once (or taken from CHURNWATCH_ADMIN_PASSWORD), which must be changed before anything else; the
// server stops cleanly on SIGTERM and SIGINT, and a restart keeps the users.

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TestClient } from '../src/server/testing/test-server.js';
import { repoRoot, tempDir } from './cli-helpers.js';

const main = join(repoRoot, 'dist/cli/main.js');

interface Serving {
  child: ChildProcess;
  line: {
    url: string;
    workspace: string;
    docs: string;
    admin?: { username: string; password: string | null };
  };
  stderr: () => string;
}

/** Starts `churnwatch serve --json` and resolves with its first line once it listens. */
function serve(workspace: string, env: Record<string, string> = {}): Promise<Serving> {
  if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
  const child = spawn('node', [main, 'serve', '--workspace', workspace, '--port', '0', '--json'], {
    env: { ...process.env, CHURNWATCH_ADMIN_PASSWORD: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), 20_000);
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const newline = stdout.indexOf('\n');
      if (newline < 0) return;
      clearTimeout(timer);
      resolve({ child, line: JSON.parse(stdout.slice(0, newline)), stderr: () => stderr });
    });
  });
}

/** Sends `signal` and resolves with the exit code; fails if the server takes over 10 s to stop. */
function stop(serving: Serving, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('serve did not stop within 10 s')), 10_000);
    serving.child.removeAllListeners('exit');
    serving.child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    serving.child.kill(signal);
  });
}

describe('churnwatch serve', () => {
  it('creates the first admin with a one-time password that must be changed, and stops on SIGTERM', async () => {
    const workspace = tempDir();
    const first = await serve(workspace);
    try {
      expect(first.line.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(first.line.admin?.username).toBe('admin');
      const oneTime = first.line.admin?.password;
      expect(oneTime).toMatch(/^\w{5}(-\w{5}){3}$/);

      const client = new TestClient(first.line.url);
      const health = await client.request('GET', '/api/health');
      expect(health.body).toMatchObject({ status: 'ok', workspace });
      const login = await client.login('admin', oneTime!);
      expect(login.body).toMatchObject({ role: 'admin', mustChangePassword: true });
      const blocked = await client.request('GET', '/api/users');
      expect(blocked.status).toBe(403);
      expect((blocked.body as { error: { code: string } }).error.code).toBe('password_change_required');
      const changed = await client.request('POST', '/api/auth/password', {
        json: { currentPassword: oneTime, newPassword: 'my own secret phrase' },
      });
      expect(changed.body).toMatchObject({ mustChangePassword: false });
      expect((await client.request('GET', '/api/users')).status).toBe(200);
    } finally {
      expect(await stop(first, 'SIGTERM')).toBe(0);
    }
    expect(first.stderr()).toBe('');

    // A restart finds the users: no new admin, nothing printed about passwords; SIGINT stops it too.
    const again = await serve(workspace);
    try {
      expect(again.line.admin).toBeUndefined();
      expect((await new TestClient(again.line.url).login('admin', 'my own secret phrase')).status).toBe(200);
    } finally {
      expect(await stop(again, 'SIGINT')).toBe(0);
    }
  });

  it('takes the first admin password from CHURNWATCH_ADMIN_PASSWORD, and still asks to change it', async () => {
    const serving = await serve(tempDir(), { CHURNWATCH_ADMIN_PASSWORD: 'from the environment' });
    try {
      expect(serving.line.admin).toEqual({ username: 'admin', password: null });
      const login = await new TestClient(serving.line.url).login('admin', 'from the environment');
      expect(login.body).toMatchObject({ mustChangePassword: true });
    } finally {
      expect(await stop(serving, 'SIGTERM')).toBe(0);
    }
  });

  it('refuses a weak environment password and a missing workspace with one line and exit 2', () => {
    const run = (workspace: string, password: string) =>
      spawnSync('node', [main, 'serve', '--workspace', workspace, '--port', '0'], {
        encoding: 'utf8',
        timeout: 20_000,
        env: { ...process.env, CHURNWATCH_ADMIN_PASSWORD: password },
      });
    const weak = run(tempDir(), 'admin');
    expect(weak.status).toBe(2);
    expect(weak.stderr).toBe(
      'churnwatch: error: key CHURNWATCH_ADMIN_PASSWORD: password must be at least 12 characters\n',
    );
    const missing = run(join(tempDir(), 'nowhere'), '');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(
      /^churnwatch: error: option --workspace: workspace .*nowhere does not exist/,
    );
  });
});
