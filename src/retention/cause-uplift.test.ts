import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { Random } from '../ml/random.js';
import { type CauseProfiles, PROFILE_CAUSES } from './cause-profile.js';
import { trainCauseUplift } from './cause-uplift.js';

const WIDTH = PROFILE_CAUSES.length;
const SERVICE = PROFILE_CAUSES.indexOf('service_dissatisfied');
const PRICE = PROFILE_CAUSES.indexOf('price_sensitive');

/**
 * `n` members, half treated, each at risk for service (share s) and price (1 − s), s uniform. Churn without
 * the action is `risk`; the action removes 60% of the service part and nothing of the price part, so the
 * true relative reduction is 0.6 · s.
 */
function members(n: number, seed = 1) {
  const random = new Random(seed);
  const shares = new Float64Array(n * WIDTH);
  const risk = new Float64Array(n);
  const treated = new Uint8Array(n);
  const churned = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const s = random.next();
    shares[i * WIDTH + SERVICE] = s;
    shares[i * WIDTH + PRICE] = 1 - s;
    risk[i] = 0.1 + 0.4 * random.next();
    treated[i] = random.next() < 0.5 ? 1 : 0;
    const p = treated[i] === 1 ? risk[i]! * (1 - 0.6 * s) : risk[i]!;
    churned[i] = random.next() < p ? 1 : 0;
  }
  const profiles: CauseProfiles = { nRows: n, shares, risk };
  return { profiles, treated, churned };
}

describe('trainCauseUplift', () => {
  it('recovers the relative reduction per cause from soft strata, and scores risk × the mix', () => {
    const { profiles, treated, churned } = members(40_000);
    const model = trainCauseUplift(profiles, treated, churned);
    // Members with share s count towards service with weight s: their weighted relative reduction is
    // 0.6 · E[s²]/E[s] = 0.4 for service and 0.6 · E[s(1−s)]/E[1−s] = 0.2 for price (s uniform).
    expect(model.relativeReduction[SERVICE]).toBeCloseTo(0.4, 1);
    expect(model.relativeReduction[PRICE]).toBeCloseTo(0.2, 1);
    const one: CauseProfiles = {
      nRows: 2,
      shares: Float64Array.from({ length: 2 * WIDTH }, (_, j) =>
        j === SERVICE || j === WIDTH + PRICE ? 1 : 0,
      ),
      risk: Float64Array.of(0.5, 0.5),
    };
    const [service, price] = model.score(one);
    expect(service).toBeCloseTo(0.5 * model.relativeReduction[SERVICE]!, 12);
    expect(price).toBeCloseTo(0.5 * model.relativeReduction[PRICE]!, 12);
  });

  it('gives a cause that no member shares the overall relative reduction', () => {
    const { profiles, treated, churned } = members(4000, 2);
    const model = trainCauseUplift(profiles, treated, churned);
    let rates = [0, 0, 0, 0];
    for (let i = 0; i < profiles.nRows; i++) {
      const arm = treated[i] === 1 ? 0 : 2;
      rates[arm]! += 1;
      rates[arm + 1]! += churned[i]!;
    }
    rates = rates.map((v, i) => (i % 2 === 1 ? v / rates[i - 1]! : v));
    const overall = 1 - rates[1]! / rates[3]!;
    const competitor = PROFILE_CAUSES.indexOf('competitor_attracted');
    expect(model.relativeReduction[competitor]).toBeCloseTo(overall, 12);
  });

  it('names what is wrong with its input', () => {
    const { profiles, treated, churned } = members(100, 3);
    expect(() => trainCauseUplift(profiles, treated.subarray(1), churned)).toThrow(/treated has 99 values/);
    expect(() => trainCauseUplift(profiles, treated, churned, { priorMembers: 0 })).toThrow(InputError);
    const noneLost = Uint8Array.from(churned, (c, i) => (treated[i] === 1 ? 0 : c));
    expect(() => trainCauseUplift(profiles, treated, noneLost)).toThrow(/no treated member churned/);
  });
});
