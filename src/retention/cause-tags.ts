// Churn causes: a score's drivers (feature, contribution) mapped to cause tags that strategies target.
// A default rule per feature-name pattern, overridable per feature (stored in `cause_tag_overrides`).

import { z } from 'zod';

/** Why a customer drifts away; each retention action relieves some of these. */
export const CAUSE_TAGS = [
  'price_sensitive',
  'service_dissatisfied',
  'disengaged',
  'competitor_attracted',
  'payment_risk',
] as const;

export type CauseTag = (typeof CAUSE_TAGS)[number];

export const causeTagSchema = z.enum(CAUSE_TAGS);

/** One driver as stored in `scores.drivers`. */
export interface ScoreDriver {
  feature: string;
  contribution: number;
}

/**
 * The default rules, first match wins. The order matters where a name fits two: `days_since_last_ticket` is
 * about service (tickets) before it is about recency, `payment_failures_90d` about payment before counts.
 */
const DEFAULT_RULES: readonly { pattern: RegExp; tag: CauseTag }[] = [
  { pattern: /payment|card_fail|declin|overdue|chargeback|arrears|dunning/, tag: 'payment_risk' },
  { pattern: /competitor|port_out|switch|rival/, tag: 'competitor_attracted' },
  {
    pattern: /ticket|satisfaction|complain|support|csat|nps|service_call|refund/,
    tag: 'service_dissatisfied',
  },
  {
    pattern: /spend|amount|monetary|order_value|discount|coupon|price|charge|revenue|fee/,
    tag: 'price_sensitive',
  },
  {
    pattern:
      /days_since|recency|visit|event|login|session|page_view|app_open|activity|frequency|tx_count|count|rfm|tenure|lifecycle|add_to_cart|usage|active/,
    tag: 'disengaged',
  },
];

/** The default tag of a feature name, or null when no rule recognises it. */
export function defaultCauseTag(feature: string): CauseTag | null {
  const name = feature.toLowerCase();
  return DEFAULT_RULES.find((rule) => rule.pattern.test(name))?.tag ?? null;
}

/** Per-feature overrides: a tag, or null to say "this feature names no cause". */
export type CauseTagOverrides = ReadonlyMap<string, CauseTag | null>;

/** The tag of `feature` after overrides. */
export function causeTagOf(feature: string, overrides: CauseTagOverrides = new Map()): CauseTag | null {
  return overrides.has(feature) ? (overrides.get(feature) ?? null) : defaultCauseTag(feature);
}

/**
 * The causes behind one score: drivers that raise the risk (positive contribution) mapped to tags, strongest
 * cause first (by summed contribution). Drivers that lower the risk say why a customer stays, not why they go.
 */
export function causeTags(drivers: readonly ScoreDriver[], overrides?: CauseTagOverrides): CauseTag[] {
  const weight = new Map<CauseTag, number>();
  for (const driver of drivers) {
    if (!(driver.contribution > 0)) continue;
    const tag = causeTagOf(driver.feature, overrides);
    if (tag !== null) weight.set(tag, (weight.get(tag) ?? 0) + driver.contribution);
  }
  return [...weight]
    .sort((a, b) => b[1] - a[1] || CAUSE_TAGS.indexOf(a[0]) - CAUSE_TAGS.indexOf(b[0]))
    .map(([tag]) => tag);
}

/** Parses `scores.drivers` JSON text into drivers, dropping entries without a feature or a number. */
export function parseDrivers(text: string): ScoreDriver[] {
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) return [];
  const drivers: ScoreDriver[] = [];
  for (const item of parsed) {
    if (typeof item !== 'object' || item === null) continue;
    const { feature, contribution } = item as { feature?: unknown; contribution?: unknown };
    if (typeof feature === 'string' && typeof contribution === 'number')
      drivers.push({ feature, contribution });
  }
  return drivers;
}
