import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../config/config-schema.js';
import { standardFeatures } from '../features/standard-features.js';
import { fadingConfig, insertFadingCustomers } from '../training/testing/fading-customers.js';
import { trainWorkspace } from '../training/train-workspace.js';
import { openWarehouse, type Warehouse } from '../warehouse/warehouse.js';
import { scoreCustomers } from './score-customers.js';
import { scoreWorkspace } from './score-workspace.js';

let workspace: string;
let warehouse: Warehouse;
const config = fadingConfig();

interface StoredScore {
  customer_id: string;
  scored_at: string;
  probability: number;
  tier: string;
  reasons_en: string;
}

async function stored(): Promise<StoredScore[]> {
  return warehouse.all<StoredScore>(
    `SELECT customer_id, CAST(scored_at AS VARCHAR) AS scored_at, probability, tier, reasons_en
     FROM scores ORDER BY scored_at, customer_id`,
  );
}

beforeAll(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'churnwatch-score-customers-'));
  warehouse = await openWarehouse(workspace);
  await insertFadingCustomers(warehouse);
  await trainWorkspace(warehouse, {
    workspace,
    config,
    features: standardFeatures,
    models: ['gbdt'],
    calibrate: 'platt',
    seed: 1,
    threads: 1,
    rounds: 40,
    earlyStopping: 20,
    forestTrees: 10,
    positiveWeight: 1,
  });
  await scoreWorkspace(warehouse, { workspace, config });
});

afterAll(() => {
  warehouse.close();
  rmSync(workspace, { recursive: true, force: true });
});

describe('scoreCustomers', () => {
  it('gives a few customers the rows the full run gave them, leaving every other row alone', async () => {
    const before = await stored();
    const result = await scoreCustomers(warehouse, {
      workspace,
      config,
      customerIds: ['c0007', 'c0002', 'c0007', 'nobody'],
    });
    expect(result.scoredAt).toBe('2025-01-01');
    expect(result.scores.map((s) => s.customerId)).toEqual(['c0002', 'c0007']);
    expect(result.notScored).toEqual(['nobody']);
    const after = await stored();
    expect(after).toHaveLength(before.length);
    for (const row of after) {
      const old = before.find((b) => b.customer_id === row.customer_id);
      expect(row.probability).toBeCloseTo(old?.probability ?? Number.NaN, 12);
      expect(row.tier).toBe(old?.tier);
      expect(row.reasons_en).toBe(old?.reasons_en);
    }
  });

  it('sees new activity at once: the customer gets a new score on the day after it', async () => {
    const before = await stored();
    const quiet = before
      .filter((r) => r.scored_at === '2025-01-01')
      .sort((a, b) => b.probability - a.probability)[0];
    await warehouse.run(
      `INSERT INTO events SELECT ?, TIMESTAMP '2025-01-01 08:00:00' + to_minutes(i::INTEGER), 'visit', NULL FROM range(40) AS r(i)`,
      [quiet.customer_id],
    );
    const result = await scoreCustomers(warehouse, { workspace, config, customerIds: [quiet.customer_id] });
    expect(result.scoredAt).toBe('2025-01-02');
    const rows = (await stored()).filter((r) => r.customer_id === quiet.customer_id);
    expect(rows.map((r) => r.scored_at)).toEqual(['2025-01-01', '2025-01-02']);
    expect(rows[1].probability).not.toBeCloseTo(rows[0].probability, 6);
    // Scoring again on the same day replaces the row.
    await scoreCustomers(warehouse, { workspace, config, customerIds: [quiet.customer_id] });
    expect((await stored()).filter((r) => r.customer_id === quiet.customer_id)).toHaveLength(2);
  });

  it('tiers a few customers by the thresholds of the latest full run when tiers are top-k%', async () => {
    const topK = configSchema.parse({ ...config, tiers: { top_k_percent: { high: 5, medium: 20 } } });
    const full = await scoreWorkspace(warehouse, { workspace, config: topK, at: '2025-01-01' });
    const riskiest = full.scores.slice(0, 3).map((s) => s.customerId);
    const few = await scoreCustomers(warehouse, {
      workspace,
      config: topK,
      customerIds: riskiest,
      at: '2025-01-01',
    });
    expect(few.thresholds).toEqual(full.thresholds);
    expect(few.scores.map((s) => s.tier)).toEqual(['high', 'high', 'high']);
    // On the next day only re-scored customers have rows: the thresholds still come from the full run.
    const later = await scoreCustomers(warehouse, { workspace, config: topK, customerIds: riskiest });
    expect(later.scoredAt).toBe('2025-01-02');
    expect(later.thresholds).toEqual(full.thresholds);
  });
});
