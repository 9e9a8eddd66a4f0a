import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { type CampaignEconomicsInput, campaignEconomics } from './campaign-economics.js';

const base: CampaignEconomicsInput = {
  treated: { n: 1000, events: 100 },
  control: { n: 1000, events: 150 },
  treatedCount: 4000,
  unitCost: 5,
  meanCustomerValue: 200,
};

/** Every number in the result, nested or not, is finite (JSON would turn Infinity and NaN into null silently). */
function allFinite(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (value !== null && typeof value === 'object') return Object.values(value).every(allFinite);
  return true;
}

describe('campaignEconomics', () => {
  it('turns a 5-point churn reduction into saved customers, cost per save and ROI', () => {
    const result = campaignEconomics(base);
    // Churn 15% → 10% on 4,000 treated customers: 200 saved for 20,000, 100 each, worth 40,000.
    expect(result.churnReduction).toBeCloseTo(0.05, 14);
    expect(result.savedCustomers).toBeCloseTo(200, 10);
    expect(result.totalCost).toBe(20000);
    expect(result.valueSaved).toBeCloseTo(40000, 8);
    expect(result.costPerSaved).toBeCloseTo(100, 10);
    expect(result.roi).toBeCloseTo(1, 12);
    // Newcombe interval of 10% − 15% from scipy 1.17.1 Wilson bounds: (−0.07903213816878463,
    // −0.021046197045332293); everything else scales from it.
    expect(result.churnReductionLow).toBeCloseTo(0.021046197045332293, 12);
    expect(result.churnReductionHigh).toBeCloseTo(0.07903213816878463, 12);
    expect(result.savedLow).toBeCloseTo(84.18478818132917, 8);
    expect(result.savedHigh).toBeCloseTo(316.1285526751385, 8);
    expect(result.costPerSavedLow).toBeCloseTo(63.26540209910268, 8);
    expect(result.costPerSavedHigh).toBeCloseTo(237.5726117754333, 8);
    expect(result.roiLow).toBeCloseTo(-0.15815211818670832, 10);
    expect(result.roiHigh).toBeCloseTo(2.161285526751385, 10);
    expect(result.tooSmall).toBe(false);
    expect(result.pValue).toBeLessThan(0.01);
  });

  it('has no cost per save when nothing was saved, and no Infinity anywhere', () => {
    const worse = campaignEconomics({ ...base, treated: { n: 1000, events: 160 } });
    expect(worse.savedCustomers).toBeLessThan(0);
    expect(worse.costPerSaved).toBeNull();
    expect(worse.costPerSavedHigh).toBeNull(); // the worst case saves nobody: unbounded
    expect(worse.costPerSavedLow).not.toBeNull(); // the best case still saves some
    expect(worse.roi).toBeLessThan(-1);
    expect(allFinite(worse)).toBe(true);

    const same = campaignEconomics({ ...base, treated: { n: 1000, events: 150 } });
    expect(same.savedCustomers).toBe(0);
    expect(same.costPerSaved).toBeNull();
    expect(same.roi).toBe(-1);
    expect(allFinite(same)).toBe(true);
    expect(JSON.parse(JSON.stringify(same))).toEqual(same);
  });

  it('has no ROI when the action cost nothing or reached nobody', () => {
    const free = campaignEconomics({ ...base, unitCost: 0 });
    expect(free.roi).toBeNull();
    expect(free.roiLow).toBeNull();
    expect(free.costPerSaved).toBe(0);
    const nobody = campaignEconomics({ ...base, treatedCount: 0 });
    expect(nobody).toMatchObject({ savedCustomers: 0, totalCost: 0, costPerSaved: null, roi: null });
    expect(allFinite(nobody)).toBe(true);
  });

  it('passes on the too-small warning and the confidence', () => {
    const small = campaignEconomics({ ...base, treated: { n: 20, events: 2 }, confidence: 0.9 });
    expect(small.tooSmall).toBe(true);
    expect(small.confidence).toBe(0.9);
  });

  it('rejects bad input, naming the field', () => {
    const cases: Array<[Partial<CampaignEconomicsInput>, string]> = [
      [{ treatedCount: -1 }, 'treatedCount'],
      [{ treatedCount: 2.5 }, 'treatedCount'],
      [{ unitCost: -1 }, 'unitCost'],
      [{ meanCustomerValue: Number.POSITIVE_INFINITY }, 'meanCustomerValue'],
      [{ control: { n: 10, events: 11 } }, 'control.events'],
    ];
    for (const [change, key] of cases) {
      let caught: unknown;
      try {
        campaignEconomics({ ...base, ...change });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InputError);
      expect((caught as InputError).where.key).toBe(key);
    }
  });
});
