// The README's main job end to end through the real CLI: the demo business simulated, ingested, trained on
// monthly snapshots and scored, then looked at through score, customer and train on the workspace it leaves.

import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, repoRoot, tempDir, writeFile } from './cli-helpers.js';
import { queryWarehouse } from './warehouse-query.js';

describe('demo', () => {
  const workspace = join(tempDir(), 'demo');
  const demo = cli(['demo', '--workspace', workspace, '--customers', '2000', '--json'], { timeout: 300_000 });

  it('runs the loop and ends with the summary line', () => {
    expect(demo.stderr).toBe('');
    expect(demo.status).toBe(0);
    const lines = demo.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const summary = JSON.parse(lines[0]!);
    expect(Object.keys(summary)).toEqual([
      'customers',
      'roc_auc',
      'pr_auc',
      'recency_baseline_roc_auc',
      'tiers',
    ]);
    expect(summary.customers).toBeGreaterThan(1000);
    expect(summary.tiers.high + summary.tiers.medium + summary.tiers.low).toBe(summary.customers);
    // The demo's tiers are the top 2% and the next 8%.
    expect(summary.tiers.high).toBe(Math.ceil(summary.customers * 0.02));
    // Engagement fades before members cancel: the model must see it, and see more than recency alone.
    expect(summary.roc_auc).toBeGreaterThan(0.7);
    expect(summary.roc_auc).toBeGreaterThan(summary.recency_baseline_roc_auc);
  });

  it('scores the three months before as well, so the history has points', async () => {
    const dates = await queryWarehouse(
      workspace,
      `SELECT strftime(scored_at, '%Y-%m-%d') AS day, count(*) AS customers FROM scores GROUP BY ALL ORDER BY day`,
    );
    expect(dates.map((d) => d.day)).toEqual(['2026-08-01', '2026-09-01', '2026-10-01', '2026-11-01']);
    expect(dates.every((d) => Number(d.customers) > 1000)).toBe(true);
  });

  it('leaves a workspace the other commands work on', () => {
    expect(readdirSync(workspace)).toEqual(
      expect.arrayContaining(['churnwatch.yaml', 'data', 'models', 'truth']),
    );
    const score = cli(['score', '--workspace', workspace, '--top', '3', '--locale', 'zh-CN']);
    expect(score.status).toBe(0);
    expect(score.stdout).toMatch(/with model v1/);
    expect(score.stdout).toMatch(/高风险：/);
    const riskiest = /\n(C\d{7}) /.exec(score.stdout.split('─').at(-1) ?? '')?.[1];
    expect(riskiest).toBeDefined();
    const view = cli(['customer', riskiest!, '--workspace', workspace]);
    expect(view.status).toBe(0);
    expect(view.stdout).toMatch(new RegExp(`^customer ${riskiest}\\n`));
    expect(view.stdout).toMatch(/risk 0\.\d{3} \(high\)/);
    expect(view.stdout).toMatch(/score history:/);
  });

  it('a second training run is compared with the champion on the same test rows', () => {
    const run = cli(['train', '--workspace', workspace, '--models', 'logistic_regression', '--json'], {
      timeout: 300_000,
    });
    expect(run.status).toBe(0);
    const summary = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    expect(summary.version).toBe(2);
    expect(summary.test_cutoff).toBe('2026-10-01');
    expect(typeof summary.champion).toBe('boolean');
  });

  it('runs again in its own workspace, and refuses a folder it did not make', () => {
    const again = cli(['demo', '--workspace', workspace, '--customers', '500', '--json'], {
      timeout: 300_000,
    });
    expect(again.status).toBe(0);
    const other = tempDir();
    writeFile(other, 'notes.txt', 'mine');
    const refused = cli(['demo', '--workspace', other, '--json']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/not empty and was not made by the demo/);
    expect(readdirSync(other)).toEqual(['notes.txt']);
  });

  it('workspace training explains what is missing when nothing was ingested', () => {
    const empty = tempDir();
    writeFile(
      empty,
      'churnwatch.yaml',
      'sources:\n  customers: { path: c.csv }\nchurn: { kind: contractual, horizon_days: 30 }\n',
    );
    const run = cli(['train', '--workspace', empty]);
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toMatch(/run `churnwatch ingest` first/);
    const quick = cli(['train', join(empty, 'c.csv')]);
    expect(quick.status).toBe(2);
    expect(quick.stderr).toMatch(/--label/);
  });

  it('without --json, ends by serving the workspace: prints the URL and the first login, stops on SIGTERM', async () => {
    const dir = join(tempDir(), 'served');
    const child = spawn(
      'node',
      [join(repoRoot, 'dist/cli/main.js'), 'demo', '--workspace', dir, '--customers', '500', '--port', '0'],
      {
        env: { ...process.env, CHURNWATCH_DEBUG: '' },
      },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 240_000;
      while (!/Ctrl-C stops the server/.test(out) && Date.now() < deadline && child.exitCode === null) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(out).toMatch(/against the ground truth/);
      expect(out).toMatch(/one-time password \S+/);
      const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      expect(url).toBeDefined();
      const health = await fetch(`${url}/api/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok' });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
