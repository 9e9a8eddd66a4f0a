// For tests: customers and score rows written straight into a warehouse, an alerts section parsed from a
// plain object as churnwatch.yaml would give it, and a sample alert as channels send it.

import type { Warehouse } from '../../warehouse/warehouse.js';
import type { AlertEvent } from '../alert-event.js';
import { type AlertsConfig, alertsSchema } from '../alerts-config.js';

/** A parsed `alerts:` section (defaults filled in). */
export function alertsConfig(section: unknown): AlertsConfig {
  return alertsSchema.parse(section);
}

/** Adds a customer with a segment and personal fields. */
export async function addCustomer(warehouse: Warehouse, id: string, segment: string | null): Promise<void> {
  await warehouse.run(
    `INSERT INTO customers (customer_id, signup_at, segment, name, phone, email)
     VALUES (?, TIMESTAMP '2024-01-01', ?, '王芳', '13812345678', 'wang.fang@example.com')`,
    [id, segment],
  );
}

/** Adds one score row (model version 1 unless given); the tier follows 0.8 / 0.5 unless given. */
export async function addScore(
  warehouse: Warehouse,
  id: string,
  scoredAt: string,
  probability: number,
  options: { tier?: string; drivers?: string[]; modelVersion?: number } = {},
): Promise<void> {
  const tier = options.tier ?? (probability >= 0.8 ? 'high' : probability >= 0.5 ? 'medium' : 'low');
  const drivers = (options.drivers ?? ['days_since_last_transaction']).map((feature) => ({
    feature,
    value: 1,
    contribution: 0.5,
  }));
  await warehouse.run(
    `INSERT INTO scores (customer_id, scored_at, model_version, probability, tier, reasons_en, reasons_zh, drivers)
     VALUES (?, CAST(? AS DATE), ?, ?, ?, ?, ?, ?)`,
    [
      id,
      scoredAt,
      options.modelVersion ?? 1,
      probability,
      tier,
      `${tier} risk: no purchase in 40 days`,
      `${tier}风险：40 天未购买`,
      JSON.stringify(drivers),
    ],
  );
}

/** A high-tier alert for customer C42 raised at `now`, with these Chinese reasons (channels' text tests). */
export function sampleAlertEvent(now: number, reasonsZh: string): AlertEvent {
  return {
    type: 'alert.created',
    alert: {
      id: 'al-1',
      customerId: 'C42',
      segment: 'vip',
      rule: 'enters-high',
      kind: 'enters_tier',
      tier: 'high',
      previousTier: 'medium',
      probability: 0.873,
      previousProbability: 0.61,
      value: null,
      scoredAt: '2025-01-08',
      modelVersion: 1,
      reasons: { en: 'high risk: no purchase in 40 days', 'zh-CN': reasonsZh },
      drivers: ['days_since_last_transaction'],
      createdAt: new Date(now).toISOString(),
    },
  };
}
