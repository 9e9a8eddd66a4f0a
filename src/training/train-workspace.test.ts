import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standardFeatures } from '../features/standard-features.js';
import { rejected } from '../testing/thrown.js';
import { openWarehouse, type Warehouse } from '../warehouse/warehouse.js';
import { championEntry, listVersions, loadVersion } from './model-registry.js';
import { fadingConfig, insertFadingCustomers } from './testing/fading-customers.js';
import { type TrainWorkspaceOptions, trainWorkspace } from './train-workspace.js';

let workspace: string;
let warehouse: Warehouse;

function options(overrides: Partial<TrainWorkspaceOptions> = {}): TrainWorkspaceOptions {
  return {
    workspace,
    config: fadingConfig(),
    features: standardFeatures,
    models: ['gbdt', 'logistic_regression'],
    calibrate: 'platt',
    seed: 3,
    threads: 1,
    rounds: 60,
    earlyStopping: 20,
    forestTrees: 20,
    positiveWeight: 1,
    ...overrides,
  };
}

beforeAll(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'churnwatch-train-'));
  warehouse = await openWarehouse(workspace);
  await insertFadingCustomers(warehouse);
});

afterAll(() => {
  warehouse.close();
  rmSync(workspace, { recursive: true, force: true });
});

describe('trainWorkspace', () => {
  it('trains on older cutoffs, tests on the latest matured one, and registers the best as champion', async () => {
    const result = await trainWorkspace(warehouse, options());
    // Data 2024-01-01 … 2024-12-31, H = 30: the latest matured cutoff is 2024-12-01.
    expect(result.split.test).toBe('2024-12-01');
    expect(result.split.train.every((c) => c < '2024-11-02')).toBe(true);
    expect(result.cutoffs.at(-1)).toMatchObject({ cutoff: '2024-12-01', role: 'test' });
    expect(result.cutoffs.filter((c) => c.role === 'valid')).toHaveLength(1);
    expect(result.results.map((r) => r.model)).toEqual(['gbdt', 'logistic_regression']);
    const best = Math.max(...result.results.map((r) => r.pr_auc));
    expect(result.entry).toMatchObject({ version: 1, status: 'champion', kind: result.best, prAuc: best });
    // Fading customers are easy to find; a broken time split or label join would sink this.
    expect(result.entry.rocAuc).toBeGreaterThan(0.8);
    expect(result.baseline.roc_auc).toBeGreaterThan(0.5);
    expect(result.promoted).toBe(true);
    expect(result.comparison).toBeNull();
    const model = loadVersion(workspace, result.entry);
    expect(model.file.workspace?.testCutoff).toBe('2024-12-01');
    expect(model.file.workspace?.features).toEqual(standardFeatures);
    expect(model.file.importance.length).toBeGreaterThan(0);
    // The registry keeps the champion's test curves for the dashboard.
    const report = result.entry.report as { test: { lift: unknown[]; rows: number } };
    expect(report.test.lift).toHaveLength(10);
    expect(report.test.rows).toBe(result.cutoffs.at(-1)?.customers);
  });

  it('a challenger no better than the champion on the same test rows stays a challenger', async () => {
    const result = await trainWorkspace(warehouse, options());
    expect(result.entry.version).toBe(2);
    expect(result.promoted).toBe(false);
    expect(result.entry.status).toBe('challenger');
    expect(result.comparison?.previousVersion).toBe(1);
    expect(result.comparison?.previousPrAuc).toBeCloseTo(result.comparison?.newPrAuc ?? -1, 12);
    expect((await championEntry(warehouse))?.version).toBe(1);
  });

  it('--promote always replaces the champion and retires it', async () => {
    const result = await trainWorkspace(
      warehouse,
      options({ promote: 'always', models: ['logistic_regression'] }),
    );
    expect(result.entry).toMatchObject({ version: 3, status: 'champion' });
    const statuses = (await listVersions(warehouse)).map((e) => [e.version, e.status]);
    expect(statuses).toEqual([
      [3, 'champion'],
      [2, 'challenger'],
      [1, 'retired'],
    ]);
    expect(existsSync(join(workspace, result.entry.file))).toBe(true);
  });

  it('data too short for a time split is refused, naming the horizon', async () => {
    const error = await rejected(() =>
      trainWorkspace(
        warehouse,
        options({ config: fadingConfig({ churn: { kind: 'non_contractual', horizon_days: 200 } }) }),
      ),
    );
    expect(error.where.key).toBe('churn.horizon_days');
    expect(error.message).toMatch(/too short for a time-based test/);
  });

  it('an empty warehouse is refused with what to do', async () => {
    const empty = await openWarehouse(':memory:');
    try {
      const error = await rejected(() => trainWorkspace(empty, options()));
      expect((error as Error).message).toMatch(/run `churnwatch ingest` first/);
    } finally {
      empty.close();
    }
  });
});
