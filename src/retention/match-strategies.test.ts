import { describe, expect, it } from 'vitest';
import { Random } from '../ml/random.js';
import { type MatchCustomer, type MatchStrategy, matchStrategies, overrideKey } from './match-strategies.js';

const customer = (
  id: string,
  probability: number,
  value: number,
  extra: Partial<MatchCustomer> = {},
): MatchCustomer => ({
  customerId: id,
  probability,
  value,
  tier: probability >= 0.8 ? 'high' : probability >= 0.5 ? 'medium' : 'low',
  segment: 'retail',
  causes: ['price_sensitive'],
  ...extra,
});

const strategy = (id: string, fields: Partial<MatchStrategy> = {}): MatchStrategy => ({
  id,
  status: 'active',
  conditions: {},
  unitCost: 10,
  savePrior: 0.2,
  parameters: { discount: 0.15 },
  priority: 0,
  ...fields,
});

describe('matchStrategies', () => {
  it('gives each customer the eligible strategy with the highest expected net value', () => {
    const customers = [
      customer('a', 0.9, 1000),
      customer('b', 0.6, 200, { causes: ['service_dissatisfied'] }),
    ];
    const strategies = [
      strategy('coupon', { conditions: { causes: ['price_sensitive'] }, unitCost: 10, savePrior: 0.2 }),
      strategy('call', { conditions: { causes: ['service_dissatisfied'] }, unitCost: 30, savePrior: 0.4 }),
      strategy('vip', { conditions: { minValue: 500 }, unitCost: 100, savePrior: 0.3 }),
    ];
    const result = matchStrategies(customers, strategies, { budget: null });
    // a: coupon 0.9·1000·0.2−10 = 170, vip 0.9·1000·0.3−100 = 170 → tie, broken by id (coupon < vip).
    // b: call 0.6·200·0.4−30 = 18.
    expect(result.assignments.map((a) => [a.customerId, a.strategyId, a.expectedNetValue])).toEqual([
      ['a', 'coupon', expect.closeTo(170, 9)],
      ['b', 'call', expect.closeTo(18, 9)],
    ]);
    expect(result.cost).toBe(40);
    expect(result.unmatched).toEqual([]);
  });

  it('never chooses a negative net value and says why a customer is left out', () => {
    const customers = [customer('cheap', 0.9, 20), customer('other', 0.9, 1000, { causes: ['disengaged'] })];
    const strategies = [strategy('coupon', { conditions: { causes: ['price_sensitive'] } })];
    const result = matchStrategies(customers, strategies, { budget: null });
    expect(result.assignments).toEqual([]);
    expect(result.unmatched).toEqual([
      { customerId: 'cheap', reason: 'no_positive_value' },
      { customerId: 'other', reason: 'no_eligible_strategy' },
    ]);
  });

  it('spends the campaign budget on the highest net values first', () => {
    const customers = [customer('low', 0.6, 200), customer('top', 0.9, 2000), customer('mid', 0.9, 500)];
    const result = matchStrategies(customers, [strategy('coupon')], { budget: 25 });
    expect(result.assignments.map((a) => a.customerId)).toEqual(['top', 'mid']);
    expect(result.cost).toBe(20);
    expect(result.unmatched).toEqual([{ customerId: 'low', reason: 'budget_exhausted' }]);
    expect(matchStrategies(customers, [strategy('coupon')], { budget: 0 }).assignments).toEqual([]);
  });

  it('falls back to the next best strategy when the best one has spent its own budget', () => {
    const customers = [customer('a', 0.9, 1000), customer('b', 0.9, 900)];
    const strategies = [strategy('best', { savePrior: 0.5 }), strategy('second', { savePrior: 0.2 })];
    const result = matchStrategies(customers, strategies, {
      budget: null,
      strategyBudgets: new Map([['best', 10]]),
    });
    expect(result.assignments.map((a) => [a.customerId, a.strategyId])).toEqual([
      ['a', 'best'],
      ['b', 'second'],
    ]);
  });

  it('uses re-estimated save rates, skips paused strategies, and applies overrides customer over strategy', () => {
    const customers = [customer('a', 0.9, 1000), customer('b', 0.9, 1000)];
    const strategies = [
      strategy('one', { savePrior: 0.1 }),
      strategy('two', { savePrior: 0.3, status: 'paused' }),
    ];
    const result = matchStrategies(customers, strategies, {
      budget: null,
      saveRates: new Map([['one', 0.05]]),
      overrides: {
        byStrategy: new Map([['one', { discount: 0.2, validityDays: 7 }]]),
        byCustomer: new Map([[overrideKey('one', 'b'), { discount: 0.3 }]]),
      },
    });
    expect(result.assignments.map((a) => [a.customerId, a.strategyId, a.saveRate, a.parameters])).toEqual([
      ['a', 'one', 0.05, { discount: 0.2, validityDays: 7 }],
      ['b', 'one', 0.05, { discount: 0.3, validityDays: 7 }],
    ]);
  });

  it('in assign mode ignores conditions and the sign of the value but keeps the budget', () => {
    const customers = [customer('poor', 0.2, 10, { causes: [] }), customer('rich', 0.9, 1000)];
    const only = strategy('call', { conditions: { causes: ['service_dissatisfied'] } });
    expect(matchStrategies(customers, [only], { budget: null }).assignments).toEqual([]);
    const assigned = matchStrategies(customers, [only], { budget: 15, mode: 'assign' });
    expect(assigned.assignments.map((a) => a.customerId)).toEqual(['rich']);
    expect(matchStrategies(customers, [only], { budget: null, mode: 'assign' }).assignments).toHaveLength(2);
  });

  it('rejects a negative budget', () => {
    expect(() => matchStrategies([], [], { budget: -1 })).toThrow(/budget=-1/);
  });
});

describe('matchStrategies on random instances', () => {
  it('holds the greedy rule’s invariants: eligible, positive, within budgets, nothing better left that fits', () => {
    const random = new Random(2024);
    const causes = ['price_sensitive', 'service_dissatisfied', 'disengaged'] as const;
    for (let round = 0; round < 200; round++) {
      const customers = Array.from({ length: 1 + random.nextInt(12) }, (_, i) =>
        customer(`c${i}`, random.next(), Math.floor(random.next() * 500), {
          causes: [causes[random.nextInt(3)]],
        }),
      );
      const strategies = Array.from({ length: 1 + random.nextInt(4) }, (_, s) =>
        strategy(`s${s}`, {
          conditions: random.next() < 0.5 ? {} : { causes: [causes[random.nextInt(3)]] },
          unitCost: 1 + random.nextInt(30),
          savePrior: random.next() * 0.5,
        }),
      );
      const budget = random.next() < 0.3 ? null : random.nextInt(100);
      const strategyBudgets = new Map(
        strategies.map((s) => [s.id, random.next() < 0.5 ? null : random.nextInt(60)]),
      );
      const result = matchStrategies(customers, strategies, { budget, strategyBudgets });
      const left = (budget ?? Number.POSITIVE_INFINITY) - result.cost;
      const strategyLeft = new Map(
        strategies.map((s) => [
          s.id,
          (strategyBudgets.get(s.id) ?? Number.POSITIVE_INFINITY) -
            result.assignments.filter((a) => a.strategyId === s.id).reduce((sum, a) => sum + a.unitCost, 0),
        ]),
      );
      expect(left).toBeGreaterThanOrEqual(0);
      for (const value of strategyLeft.values()) expect(value).toBeGreaterThanOrEqual(0);
      const fits = (s: MatchStrategy) => s.unitCost <= left && s.unitCost <= strategyLeft.get(s.id)!;
      for (const c of customers) {
        const chosen = result.assignments.find((a) => a.customerId === c.customerId);
        const options = strategies
          .filter((s) => s.conditions.causes === undefined || s.conditions.causes.includes(c.causes[0]))
          .map((s) => ({ s, net: c.probability * c.value * s.savePrior - s.unitCost }))
          .filter((o) => o.net > 0);
        if (chosen) {
          expect(chosen.expectedNetValue).toBeGreaterThan(0);
          expect(options.some((o) => o.s.id === chosen.strategyId)).toBe(true);
          // A strictly better option for this customer must not have fitted (budgets only shrink).
          for (const o of options) if (o.net > chosen.expectedNetValue) expect(fits(o.s)).toBe(false);
        } else {
          for (const o of options) expect(fits(o.s)).toBe(false);
        }
      }
    }
  });
  it('ranks by uplift × value − cost where an estimate exists, and by risk × save rate elsewhere', () => {
    const customers = [
      // Riskiest, but the call hardly changes whether they leave.
      customer('lost', 0.9, 1000, { causes: ['service_dissatisfied'] }),
      // Less at risk, and the call keeps many of them.
      customer('helped', 0.4, 1000, { causes: ['service_dissatisfied'] }),
      customer('unscored', 0.5, 1000, { causes: ['service_dissatisfied'] }),
    ];
    const strategies = [strategy('call', { unitCost: 30, savePrior: 0.3 }), strategy('coupon')];
    const uplift = new Map([
      [
        'call',
        new Map([
          ['lost', 0.01],
          ['helped', 0.2],
        ]),
      ],
    ]);
    const byRisk = matchStrategies(customers, strategies.slice(0, 1), { budget: 30, uplift });
    // The default ranking ignores the estimates: 0.9·1000·0.3 − 30 = 240 wins the one call the budget buys.
    expect(byRisk.assignments.map((a) => [a.customerId, a.basis, a.uplift])).toEqual([
      ['lost', 'risk', null],
    ]);
    const byUplift = matchStrategies(customers, strategies, { budget: null, ranking: 'uplift', uplift });
    const rows = byUplift.assignments.map((a) => [a.customerId, a.strategyId, a.basis, a.expectedNetValue]);
    // helped: call 0.2·1000 − 30 = 170 beats the coupon's 0.4·1000·0.2 − 10 = 70. lost: the call's
    // 0.01·1000 − 30 < 0, so the coupon by risk, 0.9·1000·0.2 − 10 = 170 (tied with helped's call; ids break
    // it). unscored: no estimate, so risk: the call's 0.5·1000·0.3 − 30 = 120 beats the coupon's 90.
    expect(rows).toEqual([
      ['helped', 'call', 'uplift', expect.closeTo(170, 9)],
      ['lost', 'coupon', 'risk', expect.closeTo(170, 9)],
      ['unscored', 'call', 'risk', expect.closeTo(120, 9)],
    ]);
    expect(byUplift.assignments[0]?.uplift).toBe(0.2);
  });
});
