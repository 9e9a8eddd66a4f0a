import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standardFeatures } from '../features/standard-features.js';
import { rejected } from '../testing/thrown.js';
import {
  FADING_CUSTOMERS,
  fadingConfig,
  insertFadingCustomers,
} from '../training/testing/fading-customers.js';
import { trainWorkspace } from '../training/train-workspace.js';
import { openWarehouse, type Warehouse } from '../warehouse/warehouse.js';
import { scoreWorkspace } from './score-workspace.js';

let workspace: string;
let warehouse: Warehouse;
const config = fadingConfig();

async function storedRows(): Promise<{ scored_at: string; n: number }[]> {
  return warehouse.all(
    'SELECT CAST(scored_at AS VARCHAR) AS scored_at, count(*) AS n FROM scores GROUP BY scored_at ORDER BY scored_at',
  );
}

beforeAll(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'churnwatch-score-'));
  warehouse = await openWarehouse(workspace);
  await insertFadingCustomers(warehouse);
});

afterAll(() => {
  warehouse.close();
  rmSync(workspace, { recursive: true, force: true });
});

describe('scoreWorkspace', () => {
  it('refuses to score before any model is trained', async () => {
    const error = await rejected(() => scoreWorkspace(warehouse, { workspace, config }));
    expect(error.message).toMatch(/run `churnwatch train` first/);
  });

  it('scores every customer of the population the day after the data ends, riskiest first, with reasons', async () => {
    await trainWorkspace(warehouse, {
      workspace,
      config,
      features: standardFeatures,
      models: ['gbdt'],
      calibrate: 'platt',
      seed: 1,
      threads: 1,
      rounds: 60,
      earlyStopping: 20,
      forestTrees: 10,
      positiveWeight: 1,
    });
    const result = await scoreWorkspace(warehouse, { workspace, config });
    expect(result.scoredAt).toBe('2025-01-01');
    expect(result.model.version).toBe(1);
    // Non-contractual churn: everyone who signed up before the date is in the population.
    expect(result.scores).toHaveLength(FADING_CUSTOMERS);
    const p = result.scores.map((s) => s.probability);
    expect(p).toEqual([...p].sort((a, b) => b - a));
    expect(result.tiers.high + result.tiers.medium + result.tiers.low).toBe(FADING_CUSTOMERS);
    const words = {
      high: ['high risk', '高风险'],
      medium: ['medium risk', '中风险'],
      low: ['low risk', '低风险'],
    };
    for (const s of result.scores) {
      expect(s.reasons.en.startsWith(words[s.tier][0]!)).toBe(true);
      expect(s.reasons['zh-CN'].startsWith(words[s.tier][1]!)).toBe(true);
      expect(s.drivers.length).toBeLessThanOrEqual(3);
      for (const d of s.drivers) expect(d.contribution).toBeGreaterThan(0);
    }
    // Customers who stopped long before the data end are the riskiest: the top one has had no visit for weeks.
    const top = result.scores[0]!;
    expect(top.tier).not.toBe('low');
    expect(top.reasons.en).toMatch(/visit/);
    expect(await storedRows()).toEqual([{ scored_at: '2025-01-01', n: FADING_CUSTOMERS }]);
  });

  it('scoring the same date again replaces that day; another date adds to the history', async () => {
    await scoreWorkspace(warehouse, { workspace, config });
    await scoreWorkspace(warehouse, { workspace, config, at: '2024-12-15' });
    expect(await storedRows()).toEqual([
      { scored_at: '2024-12-15', n: FADING_CUSTOMERS },
      { scored_at: '2025-01-01', n: FADING_CUSTOMERS },
    ]);
  });

  it('top-k percent tiers put that share of customers in each tier', async () => {
    const topK = fadingConfig({ tiers: { top_k_percent: { high: 5, medium: 20 } } });
    const result = await scoreWorkspace(warehouse, { workspace, config: topK });
    // Many long-gone customers share the top score: tiers go by rank, so the shares are exact anyway.
    expect(result.tiers).toEqual({ high: 20, medium: 60, low: 320 });
    expect(result.scores.slice(0, 20).every((s) => s.tier === 'high')).toBe(true);
  });

  it('a bad date or an unknown version is an input error naming the option', async () => {
    expect(
      (await rejected(() => scoreWorkspace(warehouse, { workspace, config, at: 'soon' }))).where.key,
    ).toBe('--at');
    const error = await rejected(() => scoreWorkspace(warehouse, { workspace, config, modelVersion: 7 }));
    expect(error.where.key).toBe('--model-version');
    expect(error.message).toMatch(/versions: 1/);
  });
});
