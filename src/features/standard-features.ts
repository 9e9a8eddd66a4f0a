// The standard feature set: the 31 point-in-time features of ../shared/bench/ref_features.py, same names,
// same order, same windows and NaN rules (its docstring is the contract; the golden test checks it).

import {
  daysSinceLast,
  type Feature,
  type FeatureSet,
  feature,
  openTickets,
  profile,
  ratio,
  tenure,
  trend,
  windowCount,
  windowMean,
  windowSum,
} from './feature-nodes.js';

/** Event types with per-type features, in output order. */
export const STANDARD_EVENT_TYPES = ['visit', 'page_view', 'login'] as const;

function eventFeatures(eventType: string): Feature[] {
  const count = (days: number) => windowCount('events', days, { eventType });
  return [
    feature(`${eventType}_7d`, count(7)),
    feature(`${eventType}_30d`, count(30)),
    feature(`${eventType}_90d`, count(90)),
    feature(`days_since_last_${eventType}`, daysSinceLast('events', { eventType })),
    feature(`${eventType}_trend_30d`, trend(count(30))),
  ];
}

const spend90 = windowSum('transactions', 'amount', 90);
const txCount90 = windowCount('transactions', 90);
/** Satisfaction is only known once a ticket is resolved: tickets resolved before T. */
const resolvedBeforeCutoff = { op: 'beforeCutoff', column: 'resolved_at' } as const;

export const standardFeatures: FeatureSet = Object.freeze([
  feature('tenure_days', tenure()),
  feature('segment', profile('segment')),
  feature('region', profile('region')),
  ...STANDARD_EVENT_TYPES.flatMap(eventFeatures),
  feature('tx_count_30d', windowCount('transactions', 30)),
  feature('tx_count_90d', txCount90),
  feature('spend_30d', windowSum('transactions', 'amount', 30)),
  feature('spend_90d', spend90),
  feature('avg_order_value_90d', ratio(spend90, txCount90)),
  feature('days_since_last_tx', daysSinceLast('transactions')),
  feature('spend_trend_90d', trend(spend90)),
  feature('frequency_total', windowCount('transactions', 'all')),
  feature('monetary_total', windowSum('transactions', 'amount', 'all')),
  feature('tickets_90d', windowCount('tickets', 90)),
  feature('open_tickets', openTickets()),
  feature('avg_satisfaction_90d', windowMean('tickets', 'satisfaction', 90, { where: resolvedBeforeCutoff })),
  feature('days_since_last_ticket', daysSinceLast('tickets')),
]);
