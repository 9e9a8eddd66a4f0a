// The quick path end to end through the real CLI: a customer table, train with --out, score, explain, determinism.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Random } from '../src/ml/random.js';
import { CUSTOMER_TABLE_HEADER, generateCustomerTable, toCsv } from '../src/simulate/customer-table.js';
import { cli, tempDir, writeFile } from './cli-helpers.js';

const workspace = tempDir();
const REFERENCE_KEYS = [
  'model',
  'status',
  'roc_auc',
  'pr_auc',
  'accuracy',
  'log_loss',
  'train_seconds',
  'predict_seconds',
  'n_train',
  'n_test',
  'n_features',
  'best_iteration',
];

/** A customer table with a churn column, and today's customers of the same business without it. */
function writeCustomerTables(dir: string): { history: string; current: string } {
  const header = [...CUSTOMER_TABLE_HEADER];
  const history = writeFile(
    dir,
    'customers.csv',
    toCsv(header, generateCustomerTable({ rows: 3000, random: new Random(7) })),
  );
  const today = generateCustomerTable({ rows: 300, random: new Random(8) }).map((row) => row.slice(0, -1));
  const current = writeFile(dir, 'current-customers.csv', toCsv(header.slice(0, -1), today));
  return { history, current };
}

describe('quick path', () => {
  const { history: data, current } = writeCustomerTables(workspace);

  it('trains the three kinds, then scores new customers with a saved model as CSV', () => {
    const out = join(workspace, 'all-models');
    const run = cli(
      [
        'train',
        data,
        '--label',
        'churned',
        '--positive',
        'Yes',
        '--id',
        'customer_id',
        '--calibrate',
        'platt',
        '--json',
        '--out',
        out,
      ],
      { timeout: 300_000 },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.model)).toEqual(['gbdt', 'random_forest', 'logistic_regression']);
    for (const line of lines) expect(line.roc_auc).toBeGreaterThan(0.7);
    const scoresFile = join(workspace, 'scores.csv');
    const score = cli(['score', join(out, 'gbdt.model.json'), current, '--out', scoresFile]);
    expect(score.status).toBe(0);
    expect(score.stdout).toMatch(/tiers: high \d+, medium \d+, low \d+/);
    const scores = readFileSync(scoresFile, 'utf8').trim().split('\n');
    expect(scores[0]).toBe('id,probability,tier,driver_1,driver_2,driver_3');
    expect(scores).toHaveLength(301);
    expect(scores[1]).toMatch(/^C\d+,0\.\d{6},(high|medium|low),[^,]+ = [^,]+ \([+-]\d+\.\d\d\),/);
  });

  it('train --json prints one line per model with the reference keys, and --out saves models', () => {
    const out = join(workspace, 'models');
    const split = join(workspace, 'split.json');
    const run = cli([
      'train',
      data,
      '--label',
      'churned',
      '--positive',
      'Yes',
      '--id',
      'customer_id',
      '--json',
      '--out',
      out,
      '--split-out',
      split,
      '--rounds',
      '100',
      '--rf-trees',
      '30',
    ]);
    expect(run.status).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    for (const line of lines) for (const key of REFERENCE_KEYS) expect(line).toHaveProperty(key);
    const doc = JSON.parse(readFileSync(split, 'utf8'));
    expect(doc.format).toBe('ref_gbdt.split.v1');
    expect(doc.n_rows).toBe(3000);

    const explain = cli(['explain', join(out, 'gbdt.model.json'), '--top', '5']);
    expect(explain.status).toBe(0);
    expect(explain.stdout).toContain('mean |SHAP|');
    expect(explain.stdout.split('\n').filter((l) => /^\s*\d+\s/.test(l))).toHaveLength(5);

    for (const kind of ['gbdt', 'random_forest', 'logistic_regression']) {
      const scored = cli(['score', join(out, `${kind}.model.json`), data, '--json']);
      expect(scored.status).toBe(0);
      const rows = scored.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(rows).toHaveLength(3000);
      expect(rows[0].id).toMatch(/^C\d+$/);
      expect(rows[0].drivers).toHaveLength(3);
    }
  });

  it('the same seed gives the same model whatever the thread count', () => {
    const models = [1, 2].map((threads) => {
      const out = join(workspace, `threads-${threads}`);
      const run = cli([
        'train',
        data,
        '--label',
        'churned',
        '--positive',
        'Yes',
        '--json',
        '--out',
        out,
        '--threads',
        String(threads),
        '--rounds',
        '60',
        '--rf-trees',
        '20',
        '--seed',
        '3',
      ]);
      expect(run.status).toBe(0);
      return ['gbdt', 'random_forest', 'logistic_regression'].map(
        (kind) => JSON.parse(readFileSync(join(out, `${kind}.model.json`), 'utf8')).model,
      );
    });
    expect(models[1]).toEqual(models[0]);
  });
});
