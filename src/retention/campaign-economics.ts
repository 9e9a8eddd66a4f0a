// What a retention campaign bought: customers saved (churn the hold-out says would have happened),
// cost per saved customer and return on the money, each with the interval the experiment allows.

import { InputError } from '../errors.js';
import { compareProportions, type GroupCounts } from './experiment-stats.js';

/** Counts and money of one measured campaign. */
export interface CampaignEconomicsInput {
  /** Treated customers measured and how many of them churned. */
  treated: GroupCounts;
  /** Hold-out control customers and how many of them churned. */
  control: GroupCounts;
  /** Customers who received the action (the saving scales to them); often `treated.n`. */
  treatedCount: number;
  /** Cost of the action per treated customer. */
  unitCost: number;
  /** Value of keeping one customer (e.g. mean margin over the horizon). */
  meanCustomerValue: number;
  /** Confidence of the intervals, default 0.95. */
  confidence?: number;
}

/**
 * The campaign's economics. Amounts that would divide by zero are `null`, never Infinity or NaN, so
 * the result serialises to JSON as is:
 * - `costPerSaved` is null when no customer was saved (estimate ≤ 0);
 * - `costPerSavedLow` is null when even the interval's best case saves nobody, `costPerSavedHigh`
 *   when its worst case saves nobody (the cost per saved customer is then unbounded);
 * - the ROI fields are null when the campaign cost nothing.
 */
export interface CampaignEconomics {
  /** Churn rate control − treated (positive = the action reduced churn), with its interval. */
  churnReduction: number;
  churnReductionLow: number;
  churnReductionHigh: number;
  /** churnReduction × treatedCount, with the interval scaled the same way. */
  savedCustomers: number;
  savedLow: number;
  savedHigh: number;
  /** unitCost × treatedCount. */
  totalCost: number;
  /** savedCustomers × meanCustomerValue. */
  valueSaved: number;
  costPerSaved: number | null;
  costPerSavedLow: number | null;
  costPerSavedHigh: number | null;
  /** (valueSaved − totalCost) / totalCost, with the interval from the saved-customer interval. */
  roi: number | null;
  roiLow: number | null;
  roiHigh: number | null;
  pValue: number;
  confidence: number;
  /** The experiment is too small to tell (see `ProportionDifference.tooSmall`). */
  tooSmall: boolean;
}

/** Saved customers, cost per saved customer and ROI of a campaign measured against its hold-out. */
export function campaignEconomics(input: CampaignEconomicsInput): CampaignEconomics {
  const { treatedCount, unitCost, meanCustomerValue } = input;
  if (!Number.isSafeInteger(treatedCount) || treatedCount < 0) {
    throw new InputError(`treatedCount=${treatedCount} must be an integer >= 0`, { key: 'treatedCount' });
  }
  nonNegativeAmount('unitCost', unitCost);
  nonNegativeAmount('meanCustomerValue', meanCustomerValue);
  const comparison = compareProportions(input.treated, input.control, input.confidence);

  // The comparison is treated − control; a saving is the other way round, so its bounds swap
  // (`0 − x` rather than `−x`, so no reduction is 0 and not −0).
  const churnReduction = comparison.controlRate - comparison.treatedRate;
  const churnReductionLow = 0 - comparison.high;
  const churnReductionHigh = 0 - comparison.low;
  const savedCustomers = churnReduction * treatedCount;
  const savedLow = churnReductionLow * treatedCount;
  const savedHigh = churnReductionHigh * treatedCount;
  const totalCost = unitCost * treatedCount;
  return {
    churnReduction,
    churnReductionLow,
    churnReductionHigh,
    savedCustomers,
    savedLow,
    savedHigh,
    totalCost,
    valueSaved: savedCustomers * meanCustomerValue,
    costPerSaved: costPer(totalCost, savedCustomers),
    // More customers saved means a lower cost for each: the high end of the saving gives the low cost.
    costPerSavedLow: costPer(totalCost, savedHigh),
    costPerSavedHigh: costPer(totalCost, savedLow),
    roi: returnOnCost(savedCustomers * meanCustomerValue, totalCost),
    roiLow: returnOnCost(savedLow * meanCustomerValue, totalCost),
    roiHigh: returnOnCost(savedHigh * meanCustomerValue, totalCost),
    pValue: comparison.pValue,
    confidence: comparison.confidence,
    tooSmall: comparison.tooSmall,
  };
}

function nonNegativeAmount(key: string, value: number): void {
  if (!(Number.isFinite(value) && value >= 0)) {
    throw new InputError(`${key}=${value} must be a finite amount >= 0`, { key });
  }
}

/** Cost per saved customer; null when nobody was saved. */
function costPer(totalCost: number, saved: number): number | null {
  return saved > 0 ? totalCost / saved : null;
}

/** Net return per unit of cost; null when the campaign cost nothing. */
function returnOnCost(value: number, totalCost: number): number | null {
  return totalCost > 0 ? (value - totalCost) / totalCost : null;
}
