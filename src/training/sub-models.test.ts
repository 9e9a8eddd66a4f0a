import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standardFeatures } from '../features/standard-features.js';
import { scoreWorkspace } from '../scoring/score-workspace.js';
import { rejected } from '../testing/thrown.js';
import { openWarehouse, type Warehouse } from '../warehouse/warehouse.js';
import { loadVersion } from './model-registry.js';
import { fadingConfig, insertFadingCustomers } from './testing/fading-customers.js';
import { type TrainWorkspaceOptions, trainWorkspace } from './train-workspace.js';

let workspace: string;
let warehouse: Warehouse;
const config = fadingConfig();

function options(overrides: Partial<TrainWorkspaceOptions> = {}): TrainWorkspaceOptions {
  return {
    workspace,
    config,
    features: standardFeatures,
    models: ['logistic_regression'],
    calibrate: 'platt',
    seed: 2,
    threads: 1,
    rounds: 50,
    earlyStopping: 20,
    forestTrees: 10,
    positiveWeight: 1,
    promote: 'always',
    ...overrides,
  };
}

beforeAll(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'churnwatch-sub-'));
  warehouse = await openWarehouse(workspace);
  await insertFadingCustomers(warehouse);
});

afterAll(() => {
  warehouse.close();
  rmSync(workspace, { recursive: true, force: true });
});

describe('sub-models per group', () => {
  it('trains one per segment, keeps those better on their validation rows, and registers the combined test figures', async () => {
    const result = await trainWorkspace(
      warehouse,
      options({ subModelsBy: 'segment', groupMinimums: { rows: 500, positives: 10 } }),
    );
    const groups = result.groups ?? [];
    expect(groups.map((g) => g.group).sort()).toEqual(['regular', 'vip']);
    for (const g of groups) {
      expect(g.valid_own_pr_auc).not.toBeNull();
      expect(g.test_own_pr_auc).not.toBeNull();
      expect(g.kept).toBe((g.valid_own_pr_auc ?? 0) > (g.valid_global_pr_auc ?? 1));
    }
    const model = loadVersion(workspace, result.entry);
    const kept = groups.filter((g) => g.kept).map((g) => g.group);
    expect((model.file.workspace?.subModels?.models ?? []).map((m) => m.value).sort()).toEqual(kept.sort());
    expect(result.entry.prAuc).toBeCloseTo(result.metrics.prAuc, 12);
    if (kept.length === 0) expect(result.metrics.prAuc).toBeCloseTo(result.results[0]!.pr_auc, 12);
  });

  it('a group too small for its own model is scored by the global one, and said so', async () => {
    const result = await trainWorkspace(
      warehouse,
      options({ subModelsBy: 'segment', groupMinimums: { rows: 1_000_000, positives: 10 } }),
    );
    expect(result.groups?.every((g) => !g.kept && g.valid_own_pr_auc === null)).toBe(true);
    expect(result.groups?.[0]?.note).toMatch(/fewer than 1000000 training rows/);
    expect(loadVersion(workspace, result.entry).file.workspace?.subModels).toBeUndefined();
  });

  it('scoring uses a kept sub-model for its group', async () => {
    const withGroups = await trainWorkspace(
      warehouse,
      options({ subModelsBy: 'segment', groupMinimums: { rows: 100, positives: 5 }, promote: 'always' }),
    );
    const global = await trainWorkspace(warehouse, options({ promote: 'always' }));
    const byGroups = await scoreWorkspace(warehouse, {
      workspace,
      config,
      modelVersion: withGroups.entry.version,
    });
    const byGlobal = await scoreWorkspace(warehouse, {
      workspace,
      config,
      modelVersion: global.entry.version,
    });
    const kept = new Set(withGroups.groups?.filter((g) => g.kept).map((g) => g.group));
    const vipIds = new Set(
      (
        await warehouse.all<{ customer_id: string }>(
          "SELECT customer_id FROM customers WHERE segment = 'vip'",
        )
      ).map((r) => r.customer_id),
    );
    const p = new Map(byGlobal.scores.map((s) => [s.customerId, s.probability]));
    const changed = (ids: (id: string) => boolean) =>
      byGroups.scores.filter(
        (s) => ids(s.customerId) && Math.abs(s.probability - p.get(s.customerId)!) > 1e-12,
      ).length;
    // Rows of a group without its own model score exactly as the global model scores them.
    if (!kept.has('vip')) expect(changed((id) => vipIds.has(id))).toBe(0);
    else expect(changed((id) => vipIds.has(id))).toBeGreaterThan(0);
    if (!kept.has('regular')) expect(changed((id) => !vipIds.has(id))).toBe(0);
    else expect(changed((id) => !vipIds.has(id))).toBeGreaterThan(0);
  });

  it('a feature that is not categorical is refused, naming the choices', async () => {
    const error = await rejected(() => trainWorkspace(warehouse, options({ subModelsBy: 'tenure_days' })));
    expect(error.where.key).toBe('--sub-models-by');
    expect(error.message).toMatch(/segment/);
  });
});
