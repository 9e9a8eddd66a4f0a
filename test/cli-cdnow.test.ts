// The CDNOW data set end to end through the built CLI and churnwatch.yaml alone: a transactions file without
// a customers file (customers derived), date-only timestamps, purchases of value 0, identical lines that
// are separate purchases; then train (three models and the recency baseline on a time split) and score.

import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelResult } from '../src/tabular/train-table.js';
import type { IngestReport } from '../src/warehouse/ingest.js';
import { cli, repoRoot, tempDir } from './cli-helpers.js';
import { queryWarehouse } from './warehouse-query.js';

const CDNOW = join(repoRoot, '..', 'shared', 'datasets', 'cdnow_transactions.csv');

/** The config of the README section "Real data: CDNOW". */
const CONFIG = `version: 1
sources:
  transactions:
    path: data/cdnow_transactions.csv
    columns: { ts: date, amount: dollar_value }
    duplicates: keep
churn:
  kind: non_contractual
  horizon_days: 90
  activity:
    - source: transactions
  active_within_days: 365
`;

// What the file holds, counted here rather than copied from its README.
const lines = readFileSync(CDNOW, 'utf8').trimEnd().split('\n').slice(1);
const ROWS = lines.length;
const CUSTOMERS = new Set(lines.map((line) => line.split(',')[0])).size;
/** Lines equal to an earlier line in every column (same customer, day, number of CDs and value). */
const REPEATED_LINES = ROWS - new Set(lines).size;
const ZERO_VALUE = lines.filter((line) => Number(line.split(',')[3]) === 0).length;

function workspaceWith(config: string): string {
  const workspace = tempDir('churnwatch-cdnow-');
  mkdirSync(join(workspace, 'data'));
  copyFileSync(CDNOW, join(workspace, 'data', 'cdnow_transactions.csv'));
  writeFileSync(join(workspace, 'churnwatch.yaml'), config);
  return workspace;
}

function ingestJson(workspace: string): IngestReport {
  const run = cli(['ingest', '--workspace', workspace, '--json']);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as IngestReport;
}

describe('CDNOW: the file as it is', () => {
  it('knows what it is testing: the quirks of the data set are there', () => {
    expect(ROWS).toBe(69_659);
    expect(CUSTOMERS).toBe(23_570);
    expect(REPEATED_LINES).toBeGreaterThan(0);
    expect(ZERO_VALUE).toBeGreaterThan(0);
  });

  it('with the default duplicates setting, identical lines are quarantined and counted, nothing is lost', async () => {
    const workspace = workspaceWith(CONFIG.replace('    duplicates: keep\n', ''));
    const run = cli(['ingest', '--workspace', workspace]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(`^transactions\\s+1\\s+0\\s+${ROWS}\\s+${ROWS - REPEATED_LINES}\\s+${REPEATED_LINES}$`, 'm'),
    );
    expect(run.stdout).toMatch(
      new RegExp(
        `transactions\\s+duplicate\\s+${REPEATED_LINES}\\s+line \\d+: same values in every column as line \\d+`,
      ),
    );
    expect(run.stdout).toContain(`customers: ${CUSTOMERS} derived from transactions (no customers source)`);
    const [counts] = await queryWarehouse(
      workspace,
      `SELECT (SELECT count(*) FROM transactions) AS loaded,
         (SELECT count(*) FROM quarantine WHERE reason = 'duplicate') AS duplicates,
         (SELECT count(*) FROM quarantine) AS quarantined`,
    );
    expect(counts).toEqual({
      loaded: ROWS - REPEATED_LINES,
      duplicates: REPEATED_LINES,
      quarantined: REPEATED_LINES,
    });
  });
});

describe('CDNOW: ingest, train and score through churnwatch.yaml alone', () => {
  const workspace = workspaceWith(CONFIG);
  let report: IngestReport;

  beforeAll(() => {
    report = ingestJson(workspace);
  });

  it('ingest loads every row and derives one customer per id, signed up at the first purchase', async () => {
    const [tx] = report.sources;
    expect(report.sources).toHaveLength(1);
    expect(tx!.source).toBe('transactions');
    expect(tx!.rowsRead).toBe(ROWS);
    expect(tx!.rowsLoaded + tx!.rowsQuarantined).toBe(ROWS);
    expect(tx!.rowsLoaded).toBe(ROWS);
    expect(report.derivedCustomers).toEqual({
      sources: [{ source: 'transactions', added: CUSTOMERS }],
      added: CUSTOMERS,
      total: CUSTOMERS,
    });
    const [stored] = await queryWarehouse(
      workspace,
      `SELECT (SELECT count(*) FROM transactions) AS transactions,
         (SELECT count(*) FROM transactions WHERE amount = 0) AS zero_value,
         (SELECT count(*) FROM customers) AS customers,
         (SELECT count(*) FROM customers AS c WHERE signup_at <>
            (SELECT min(ts) FROM transactions AS t WHERE t.customer_id = c.customer_id)) AS wrong_signup,
         (SELECT count(*) FROM customers WHERE coalesce(segment, region, plan) IS NOT NULL) AS with_profile,
         (SELECT min(ts)::VARCHAR FROM transactions) AS first, (SELECT max(ts)::VARCHAR FROM transactions) AS last`,
    );
    expect(stored).toEqual({
      transactions: ROWS,
      zero_value: ZERO_VALUE,
      customers: CUSTOMERS,
      wrong_signup: 0,
      with_profile: 0,
      first: '1997-01-01 00:00:00',
      last: '1998-06-30 00:00:00',
    });
  });

  it('ingest again reads nothing and duplicates no customer', async () => {
    const again = ingestJson(workspace);
    expect(again.sources[0]!.files[0]!.status).toBe('unchanged');
    expect(again.derivedCustomers).toEqual({
      sources: [{ source: 'transactions', added: 0 }],
      added: 0,
      total: CUSTOMERS,
    });
    const [counts] = await queryWarehouse(
      workspace,
      'SELECT count(*) AS n, count(DISTINCT customer_id) AS ids FROM customers',
    );
    expect(counts).toEqual({ n: CUSTOMERS, ids: CUSTOMERS });
  });

  it('train --json: three models and the recency baseline on the latest matured cutoff; the champion beats recency', () => {
    // Fewer trees and rounds than the defaults keep the test short; the README table uses the defaults.
    const run = cli(
      ['train', '--workspace', workspace, '--json', '--threads', '2', '--rf-trees', '30', '--rounds', '100'],
      { timeout: 170_000 },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const out = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(out).toHaveLength(4);
    const models = out.slice(0, 3) as unknown as ModelResult[];
    expect(models.map((m) => m.model).sort()).toEqual(['gbdt', 'logistic_regression', 'random_forest']);
    for (const m of models) {
      expect(m.status, m.model).toBe('ok');
      expect(m.n_test, m.model).toBeGreaterThan(1000);
    }
    const summary = out[3] as {
      model: string;
      champion: boolean;
      test_cutoff: string;
      roc_auc: number;
      pr_auc: number;
      recency_baseline_roc_auc: number;
      recency_baseline_pr_auc: number;
    };
    // The data ends 1998-06-30: the latest cutoff whose 90-day horizon has passed is 1998-04-01.
    expect(summary.test_cutoff).toBe('1998-04-01');
    expect(summary.champion).toBe(true);
    expect(models.map((m) => m.model)).toContain(summary.model);
    // Recency alone ranks this cutoff's customers at ROC-AUC ≈ 0.70 and the models at ≈ 0.74 (README). The
    // champion must clear 0.72, a little under what it measures, and rank better than recency alone:
    // otherwise frequency, spend and tenure added nothing a one-line query could not do.
    expect(summary.recency_baseline_roc_auc).toBeGreaterThan(0.6);
    expect(summary.roc_auc).toBeGreaterThan(0.72);
    expect(summary.roc_auc).toBeGreaterThan(summary.recency_baseline_roc_auc);
  });

  it('score scores the customers active in the year before the scoring date', async () => {
    const out = join(workspace, 'scores.csv');
    const run = cli(['score', '--workspace', workspace, '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    // Scoring date: the day after the data ends; active_within_days 365 keeps buyers since 1997-07-01.
    const active = new Set(
      lines.filter((line) => line.split(',')[1]! >= '1997-07-01').map((l) => l.split(',')[0]),
    ).size;
    expect(run.stdout).toContain(`scored ${active} customers at 1998-07-01`);
    const rows = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(rows[0]).toBe('customer_id,scored_at,model_version,probability,tier,reasons_en,reasons_zh');
    expect(rows).toHaveLength(active + 1);
    const [stored] = await queryWarehouse(
      workspace,
      `SELECT count(*) AS n, count(DISTINCT customer_id) AS ids, min(probability) >= 0 AND max(probability) <= 1 AS bounded
       FROM scores`,
    );
    expect(stored).toEqual({ n: active, ids: active, bounded: true });
  });
});
