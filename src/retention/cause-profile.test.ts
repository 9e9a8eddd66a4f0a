import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWarehouse, type Warehouse } from '../warehouse/warehouse.js';
import { PROFILE_CAUSES, profilesFromDrivers, readCauseProfiles, takeProfiles } from './cause-profile.js';
import { addScoredCustomers, SCORED_AT } from './testing/retention-fixtures.js';

const WIDTH = PROFILE_CAUSES.length;
const at = (cause: (typeof PROFILE_CAUSES)[number]) => PROFILE_CAUSES.indexOf(cause);

describe('profilesFromDrivers', () => {
  it('splits each risk among the causes of the drivers that raise it', () => {
    const profiles = profilesFromDrivers(
      [
        [
          { feature: 'open_tickets_30d', contribution: 0.3 },
          { feature: 'visit_count_30d', contribution: 0.1 },
          { feature: 'avg_satisfaction_90d', contribution: 0.2 },
          // Lowers the risk: says why the customer stays, not why they go.
          { feature: 'spend_90d', contribution: -0.4 },
        ],
        [{ feature: 'shoe_size', contribution: 0.2 }],
        [],
      ],
      [0.7, 0.4, 0.1],
    );
    expect(profiles.nRows).toBe(3);
    const row = (r: number) => Array.from(profiles.shares.subarray(r * WIDTH, (r + 1) * WIDTH));
    expect(row(0)[at('service_dissatisfied')]).toBeCloseTo(5 / 6, 12);
    expect(row(0)[at('disengaged')]).toBeCloseTo(1 / 6, 12);
    expect(row(0)[at('price_sensitive')]).toBe(0);
    // A feature no rule names, and no driver at all: the risk is unexplained.
    expect(row(1)[at('untagged')]).toBe(1);
    expect(row(2)[at('untagged')]).toBe(1);
    for (let r = 0; r < 3; r++) expect(row(r).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(Array.from(profiles.risk)).toEqual([0.7, 0.4, 0.1]);
  });

  it('follows the cause-tag overrides', () => {
    const tickets = [{ feature: 'open_tickets_30d', contribution: 0.3 }];
    const overridden = profilesFromDrivers(
      [tickets],
      [0.5],
      new Map([['open_tickets_30d', 'price_sensitive']]),
    );
    expect(overridden.shares[at('price_sensitive')]).toBe(1);
    const silenced = profilesFromDrivers([tickets], [0.5], new Map([['open_tickets_30d', null]]));
    expect(silenced.shares[at('untagged')]).toBe(1);
  });

  it('takes rows in the order asked', () => {
    const profiles = profilesFromDrivers(
      [[{ feature: 'spend_trend_90d', contribution: 1 }], [], [{ feature: 'visits_30d', contribution: 1 }]],
      [0.1, 0.2, 0.3],
    );
    const taken = takeProfiles(profiles, [2, 0]);
    expect(taken.nRows).toBe(2);
    expect(taken.shares[at('disengaged')]).toBe(1);
    expect(taken.shares[WIDTH + at('price_sensitive')]).toBe(1);
    expect(Array.from(taken.risk)).toEqual([0.3, 0.1]);
  });
});

describe('readCauseProfiles', () => {
  let w: Warehouse;
  beforeEach(async () => {
    w = await openWarehouse(':memory:');
    await addScoredCustomers(w, [
      { id: 'A', probability: 0.9, drivers: ['avg_satisfaction_90d'] },
      { id: 'B', probability: 0.6, drivers: ['spend_trend_90d', 'visits_30d'] },
    ]);
  });
  afterEach(() => w.close());

  it('reads the score of each customer on each day, the newest of the day, and no score as no risk', async () => {
    // A newer model scored A again that day: its drivers count.
    await w.run(
      `INSERT INTO scores (customer_id, scored_at, model_version, probability, tier, reasons_en, reasons_zh, drivers)
       VALUES ('A', DATE '${SCORED_AT}', 2, 0.8, 'high', '', '', '[{"feature":"spend_90d","value":"1","contribution":0.2}]')`,
    );
    const profiles = await readCauseProfiles(
      w,
      ['B', 'A', 'A', 'Z'],
      [SCORED_AT, SCORED_AT, '2020-01-01', SCORED_AT],
    );
    expect(Array.from(profiles.risk)).toEqual([0.6, 0.8, 0, 0]);
    expect(profiles.shares[at('price_sensitive')]).toBeCloseTo(0.5, 12);
    expect(profiles.shares[at('disengaged')]).toBeCloseTo(0.5, 12);
    expect(profiles.shares[WIDTH + at('price_sensitive')]).toBe(1);
    expect(profiles.shares[2 * WIDTH + at('untagged')]).toBe(1);
    expect(profiles.shares[3 * WIDTH + at('untagged')]).toBe(1);
  });
});
