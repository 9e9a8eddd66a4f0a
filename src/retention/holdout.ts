// The hold-out (R18): a random control group that gets no action, so the campaign's effect can be measured
// as treated against control. Stratified by tier (each tier holds out the same share, so the two groups
// have the same risk mix) and seeded (the same seed and target list give the same groups).

import { Random } from '../ml/random.js';

export type Group = 'treated' | 'control';

export interface HoldoutMember {
  customerId: string;
  tier: string;
}

/** The default share of the target list held out as control. */
export const DEFAULT_CONTROL_SHARE = 0.1;

const TIER_ORDER = ['high', 'medium', 'low'];

/**
 * The group of each member, keyed by customer id. Within a tier the members are ordered by id (so the input's
 * order does not matter), shuffled with a stream of their own, and the first round(share × n) are control.
 */
export function assignHoldout(
  members: readonly HoldoutMember[],
  controlShare: number,
  seed: number,
): Map<string, Group> {
  if (!(controlShare >= 0 && controlShare < 1)) {
    throw new RangeError(`controlShare=${controlShare} must be >= 0 and < 1`);
  }
  const byTier = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const member of members) {
    if (seen.has(member.customerId)) throw new RangeError(`customer "${member.customerId}" is listed twice`);
    seen.add(member.customerId);
    const ids = byTier.get(member.tier) ?? [];
    ids.push(member.customerId);
    byTier.set(member.tier, ids);
  }
  // Known tiers have fixed streams; any other stratum follows them in name order.
  const others = [...byTier.keys()].filter((tier) => !TIER_ORDER.includes(tier)).sort();
  const strata = [...TIER_ORDER, ...others];
  const groups = new Map<string, Group>();
  strata.forEach((tier, stream) => {
    const ids = byTier.get(tier);
    if (!ids) return;
    ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const random = new Random(seed, stream);
    for (let i = ids.length - 1; i > 0; i--) {
      const j = random.nextInt(i + 1);
      [ids[i], ids[j]] = [ids[j], ids[i]];
    }
    const control = Math.round(controlShare * ids.length);
    ids.forEach((id, i) => {
      groups.set(id, i < control ? 'control' : 'treated');
    });
  });
  return groups;
}
