// Matching (R17): for each at-risk customer the eligible strategy with the highest expected net value,
//   net = P(churn) × customer value × save rate − unit cost,
// chosen greedily by net value across all (customer, strategy) pairs so that budgets per campaign and per
// strategy hold: a pair that no longer fits a budget is skipped and the customer may still get their next
// best strategy. A pair with net value ≤ 0 is never chosen (an action that costs more than it saves).
//
// Ranked by uplift (option `ranking: 'uplift'`), a strategy with an uplift estimate for the customer uses
//   net = uplift × customer value − unit cost,
// uplift being how much its action lowers this customer's churn (uplift-model.ts): it already holds both the
// risk and the save rate, for this customer rather than on average. Pairs without an estimate keep the rule
// above, and each assignment says which rule priced it (`basis`).

import { type Candidate, meetsConditions, type Parameters, type Strategy } from './strategy.js';

/** A customer to match: the condition facts plus the churn probability. */
export interface MatchCustomer extends Candidate {
  probability: number;
}

/** The strategy fields the matcher uses. */
export type MatchStrategy = Pick<
  Strategy,
  'id' | 'status' | 'conditions' | 'unitCost' | 'savePrior' | 'parameters' | 'priority'
>;

/** Parameter overrides an operator stored: per strategy, and per strategy and customer (which wins). */
export interface ParameterOverrides {
  byStrategy: ReadonlyMap<string, Parameters>;
  /** Keyed by overrideKey(strategyId, customerId). */
  byCustomer: ReadonlyMap<string, Parameters>;
}

export interface MatchOptions {
  /** The campaign's budget; null for no limit. */
  budget: number | null;
  /** What each strategy may still spend; a strategy absent here has no limit. */
  strategyBudgets?: ReadonlyMap<string, number | null>;
  /** Re-estimated save rates; a strategy absent here uses its prior. */
  saveRates?: ReadonlyMap<string, number>;
  overrides?: ParameterOverrides;
  /**
   * `match` (default): active strategies whose conditions the customer meets, positive net value only.
   * `assign`: the operator chose the strategies and the customers, so conditions and the sign of the net value
   * are not checked; budgets still are, spent on the highest net value first.
   */
  mode?: 'match' | 'assign';
  /** `risk` (default): P(churn) × value × save rate; `uplift`: the estimates in `uplift` where there are some. */
  ranking?: 'risk' | 'uplift';
  /** Per strategy id: customer id → churn reduction its action is estimated to bring (used with `uplift`). */
  uplift?: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

/** One customer's chosen strategy and the figures behind the choice. */
export interface Assignment {
  customerId: string;
  tier: string;
  strategyId: string;
  probability: number;
  value: number;
  saveRate: number;
  unitCost: number;
  /** P(churn) × value × save rate − unit cost, or uplift × value − unit cost (see `basis`). */
  expectedNetValue: number;
  /** Which rule priced the pair. */
  basis: 'risk' | 'uplift';
  /** The estimated churn reduction when `basis` is uplift, else null. */
  uplift: number | null;
  parameters: Parameters;
}

export type UnmatchedReason = 'no_eligible_strategy' | 'no_positive_value' | 'budget_exhausted';

export interface MatchResult {
  /** In the order chosen: highest net value first. */
  assignments: Assignment[];
  unmatched: { customerId: string; reason: UnmatchedReason }[];
  /** Sum of the chosen unit costs. */
  cost: number;
  /** Sum of the chosen net values. */
  expectedNetValue: number;
}

/** The key of a per-customer override in `ParameterOverrides.byCustomer`. */
export function overrideKey(strategyId: string, customerId: string): string {
  return `${strategyId}\u0000${customerId}`;
}

/** P(churn) × value × save rate − unit cost. */
export function expectedNetValue(
  probability: number,
  value: number,
  saveRate: number,
  unitCost: number,
): number {
  return probability * value * saveRate - unitCost;
}

/** Matches customers to strategies within the budgets; see the file header for the rule. */
export function matchStrategies(
  customers: readonly MatchCustomer[],
  strategies: readonly MatchStrategy[],
  options: MatchOptions,
): MatchResult {
  if (options.budget !== null && !(options.budget >= 0)) {
    throw new RangeError(`budget=${options.budget} must be >= 0 or null`);
  }
  const mode = options.mode ?? 'match';
  const usable = strategies.filter((s) =>
    mode === 'assign' ? s.status !== 'retired' : s.status === 'active',
  );
  const rates = usable.map((s) => options.saveRates?.get(s.id) ?? s.savePrior);
  const byUplift = options.ranking === 'uplift';
  const pairs: { customer: number; strategy: number; net: number; uplift: number | null }[] = [];
  const eligible = new Uint8Array(customers.length);
  const positive = new Uint8Array(customers.length);
  customers.forEach((customer, c) => {
    usable.forEach((strategy, s) => {
      if (mode === 'match' && !meetsConditions(strategy.conditions, customer)) return;
      eligible[c] = 1;
      const uplift = byUplift ? (options.uplift?.get(strategy.id)?.get(customer.customerId) ?? null) : null;
      const net =
        uplift === null
          ? expectedNetValue(customer.probability, customer.value, rates[s], strategy.unitCost)
          : uplift * customer.value - strategy.unitCost;
      if (mode === 'match' && !(net > 0)) return;
      positive[c] = 1;
      pairs.push({ customer: c, strategy: s, net, uplift });
    });
  });
  // Highest net value first; ties go to the higher priority, then to ids so the result is reproducible.
  pairs.sort(
    (a, b) =>
      b.net - a.net ||
      usable[b.strategy].priority - usable[a.strategy].priority ||
      compareText(usable[a.strategy].id, usable[b.strategy].id) ||
      compareText(customers[a.customer].customerId, customers[b.customer].customerId),
  );
  let left = options.budget ?? Number.POSITIVE_INFINITY;
  const strategyLeft = usable.map((s) => options.strategyBudgets?.get(s.id) ?? Number.POSITIVE_INFINITY);
  const taken = new Uint8Array(customers.length);
  const result: MatchResult = { assignments: [], unmatched: [], cost: 0, expectedNetValue: 0 };
  for (const pair of pairs) {
    if (taken[pair.customer]) continue;
    const strategy = usable[pair.strategy];
    if (strategy.unitCost > left || strategy.unitCost > strategyLeft[pair.strategy]) continue;
    taken[pair.customer] = 1;
    left -= strategy.unitCost;
    strategyLeft[pair.strategy] -= strategy.unitCost;
    const customer = customers[pair.customer];
    result.assignments.push({
      customerId: customer.customerId,
      tier: customer.tier,
      strategyId: strategy.id,
      probability: customer.probability,
      value: customer.value,
      saveRate: rates[pair.strategy],
      unitCost: strategy.unitCost,
      expectedNetValue: pair.net,
      basis: pair.uplift === null ? 'risk' : 'uplift',
      uplift: pair.uplift,
      parameters: {
        ...strategy.parameters,
        ...options.overrides?.byStrategy.get(strategy.id),
        ...options.overrides?.byCustomer.get(overrideKey(strategy.id, customer.customerId)),
      },
    });
    result.cost += strategy.unitCost;
    result.expectedNetValue += pair.net;
  }
  customers.forEach((customer, c) => {
    if (taken[c]) return;
    const reason: UnmatchedReason = !eligible[c]
      ? 'no_eligible_strategy'
      : !positive[c]
        ? 'no_positive_value'
        : 'budget_exhausted';
    result.unmatched.push({ customerId: customer.customerId, reason });
  });
  return result;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
