// The demo business in numbers: an online membership shop (monthly plan + purchases) with consumer, small-
// business and enterprise members in four regions. Every rate the simulator uses is set here, in one place.

export const SEGMENTS = ['consumer', 'smb', 'enterprise'] as const;
export const REGIONS = ['华东', '华北', '华南', '西部'] as const;
export const VALUE_TIERS = ['bronze', 'silver', 'gold'] as const;
export const PAYMENT_METHODS = ['alipay', 'wechat_pay', 'credit_card', 'bank_transfer'] as const;
export const PRODUCTS = ['grocery', 'home', 'apparel', 'beauty', 'electronics'] as const;
export const TICKET_CATEGORIES = ['billing', 'quality', 'delivery', 'app'] as const;
export const EVENT_TYPES = ['visit', 'page_view', 'login'] as const;
/** True causes of churn, as the ground truth records them. */
export const CHURN_CAUSES = ['disengaged', 'price', 'service', 'competitor', 'payment_failure'] as const;
/** What a customer says when cancelling: close to the cause, but not always (see STATED_REASON_MATCH). */
export const STATED_REASONS = [
  'no_longer_needed',
  'too_expensive',
  'poor_service',
  'switched_to_competitor',
  'payment_failed',
  'other',
] as const;

export type ChurnCause = (typeof CHURN_CAUSES)[number];
export const CAUSE = { disengaged: 0, price: 1, service: 2, competitor: 3, paymentFailure: 4 } as const;
export const EVENT = { visit: 0, pageView: 1, login: 2 } as const;

/** Monthly plans; `raisedFee` applies from the price increase on (see world.ts). */
export const PLANS = [
  { name: 'basic', fee: 29, raisedFee: 29 },
  { name: 'plus', fee: 59, raisedFee: 69 },
  { name: 'premium', fee: 99, raisedFee: 119 },
] as const;

/** Chance that the stated cancellation reason is the true cause (otherwise another reason or `other`). */
export const STATED_REASON_MATCH = 0.6;

export interface SegmentModel {
  /** Share of customers. */
  share: number;
  /** Plan mix (basic, plus, premium). */
  planWeights: readonly number[];
  /** Payment method mix, in PAYMENT_METHODS order. */
  paymentWeights: readonly number[];
  /** App sessions per day of an average, fully engaged customer. */
  sessionsPerDay: number;
  /** Purchases per day of an average, fully engaged customer, and the median order amount (CNY). */
  purchasesPerDay: number;
  orderMedian: number;
  /** Service tickets per day. */
  ticketsPerDay: number;
  /** Daily voluntary churn hazard of a content customer in a neutral season, past onboarding. */
  baseHazard: number;
  /** Means of the latent sensitivities in (0, 1). */
  priceSensitivity: number;
  serviceSensitivity: number;
  competitorExposure: number;
}

export const SEGMENT_MODELS: readonly SegmentModel[] = [
  {
    share: 0.72,
    planWeights: [0.55, 0.33, 0.12],
    paymentWeights: [0.45, 0.4, 0.14, 0.01],
    sessionsPerDay: 0.25,
    purchasesPerDay: 0.045,
    orderMedian: 95,
    ticketsPerDay: 1 / 160,
    baseHazard: 0.0002,
    priceSensitivity: 0.5,
    serviceSensitivity: 0.45,
    competitorExposure: 0.5,
  },
  {
    share: 0.23,
    planWeights: [0.25, 0.5, 0.25],
    paymentWeights: [0.3, 0.25, 0.25, 0.2],
    sessionsPerDay: 0.33,
    purchasesPerDay: 0.08,
    orderMedian: 380,
    ticketsPerDay: 1 / 110,
    baseHazard: 0.00015,
    priceSensitivity: 0.42,
    serviceSensitivity: 0.55,
    competitorExposure: 0.4,
  },
  {
    share: 0.05,
    planWeights: [0.05, 0.35, 0.6],
    paymentWeights: [0.05, 0.05, 0.3, 0.6],
    sessionsPerDay: 0.42,
    purchasesPerDay: 0.15,
    orderMedian: 1400,
    ticketsPerDay: 1 / 70,
    baseHazard: 0.00009,
    priceSensitivity: 0.25,
    serviceSensitivity: 0.65,
    competitorExposure: 0.3,
  },
];

/** Per region: how exposed its customers are to competitors (multiplies the segment mean), and share. */
export const REGION_MODELS = [
  { share: 0.36, competition: 1.1 },
  { share: 0.26, competition: 0.9 },
  { share: 0.24, competition: 1.2 },
  { share: 0.14, competition: 0.7 },
] as const;

/** Per-billing chance that a payment fails, by payment method (multiplied by a per-customer factor). */
export const PAYMENT_FAILURE = [0.008, 0.008, 0.016, 0.02] as const;
/** Chance that a failed payment is recovered in the dunning period (else involuntary cancellation). */
export const PAYMENT_RECOVERY = 0.6;
/** Days from a failed payment to the involuntary cancellation when it is not recovered. */
export const DUNNING_DAYS = 14;

/** Monthly value (CNY) from which a customer is silver / gold. */
export const VALUE_TIER_FROM = [0, 300, 1500] as const;

/** How customers drift away (drift.ts, behaviour.ts). */
export const DRIFT = {
  /** Days for a disengagement level to close most of the gap to a higher target, and to a lower one. */
  daysToDisengage: 10,
  daysToRecover: 30,
  /** The readiness to leave R follows D over about this many days. */
  daysToDecide: 45,
  /** Activity is multiplied by (1 − D)^activityPower. */
  activityPower: 2.5,
  /** The daily voluntary hazard is baseHazard × (contentShare + hazardGain × R⁴) ... */
  contentShare: 0.05,
  hazardGain: 600,
  /** ... plus baseHazard × unresolvedGain × service sensitivity × waiting open tickets (at most 2). */
  unresolvedGain: 3,
} as const;

/**
 * What a retention action does inside the drift model (action-effects.ts), per churn cause in CHURN_CAUSES
 * order (disengaged, price, service, competitor): `relief` is the share of the cause's pressure removed
 * while the action is valid, `cut` the share of the disengagement level D_c removed on the day it lands
 * (readiness R falls by the share of D the cuts remove). So an action helps as much as its cause drives
 * the customer: a coupon saves the price-driven, not the service-dissatisfied.
 */
export const ACTION_EFFECTS = {
  /** A discount on the membership fee; relief and cut scale with discountShare / COUPON_FULL_DISCOUNT. */
  coupon: { relief: [0, 0.9, 0, 0], cut: [0, 0.45, 0, 0], validityDays: 60 },
  /** A call from the service team: open tickets resolved that day (see SERVICE_CALL), then priority care. */
  service_call: { relief: [0, 0, 0.6, 0], cut: [0, 0, 0.45, 0], validityDays: 30 },
  /** Pushes and content that bring the customer back to the app. */
  reengagement: { relief: [0.6, 0, 0, 0], cut: [0.35, 0, 0, 0], validityDays: 30 },
  /** Matching the competitor's offer. */
  competitor_match: { relief: [0, 0, 0, 0.85], cut: [0, 0, 0, 0.45], validityDays: 60 },
  /** Points or a gift: a little of everything. */
  loyalty_bonus: { relief: [0.15, 0.15, 0.15, 0.15], cut: [0.1, 0.1, 0.1, 0.1], validityDays: 90 },
} as const satisfies Record<
  string,
  { relief: readonly number[]; cut: readonly number[]; validityDays: number }
>;

/** The coupon's default discount, and the discount from which it relieves price pressure fully. */
export const COUPON_DISCOUNT = 0.2;
export const COUPON_FULL_DISCOUNT = 0.25;

/** A service call: open tickets count as resolved that morning, rated this well, and bad memories fade. */
export const SERVICE_CALL = { resolveHour: 10, satisfaction: 4, badExperienceKept: 0.4 } as const;
