// The daily digest: a channel with `digest: daily` gets no message per alert (evaluate-alerts.ts skips it)
// but, once a day after `digest_hour` in its `time_zone`, one message summarising the alerts created in the
// 24 hours before that hour. Called by every delivery pass; idempotent, because the message id is
// `digest:<channel>:<local date>` (the outbox's primary key): at most one per channel and day.
//
//   local day D−1          digest_hour              local day D           digest_hour
//   ──────┼──────────────────────┼───────────────────────┼───────────────────────┼──────
//                                [── window of D's digest ──────────────────────)  queued once now ≥ end
//
// A day without new alerts gets no digest. A process down through a whole day misses that day's digest
// (its alerts stay on the dashboard); the next digest covers its own window only.

import { TIMESTAMP_PARAM } from '../security/sql-time.js';
import type { SqlCell, SqlParam, Warehouse } from '../warehouse/warehouse.js';
import type { AlertChannelConfig } from './alerts-config.js';
import type { DigestCustomer, DigestEvent } from './digest-event.js';

export const DEFAULT_DIGEST_HOUR = 9;
export const DEFAULT_DIGEST_TIME_ZONE = 'Asia/Shanghai';
/** Customers listed in a digest. */
const TOP = 10;

/** The local date at `now` in `timeZone` and the instants of `hour`:00 on it and on the day before. */
export function digestWindow(
  now: number,
  hour: number,
  timeZone: string,
): { date: string; from: number; to: number } {
  const { year, month, day } = zonedParts(now, timeZone);
  const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return {
    date,
    from: zonedInstant(year, month, day - 1, hour, timeZone),
    to: zonedInstant(year, month, day, hour, timeZone),
  };
}

/** Writes the digests due at `now` to the outbox; returns how many were written. */
export async function queueDigests(
  warehouse: Warehouse,
  alerts: { channels: readonly AlertChannelConfig[] },
  now: number,
): Promise<number> {
  let written = 0;
  for (const channel of alerts.channels) {
    if (channel.digest !== 'daily') continue;
    const timeZone = channel.time_zone ?? DEFAULT_DIGEST_TIME_ZONE;
    const window = digestWindow(now, channel.digest_hour ?? DEFAULT_DIGEST_HOUR, timeZone);
    if (now < window.to) continue;
    const id = `digest:${channel.name}:${window.date}`;
    const [seen] = await warehouse.all<{ n: number }>('SELECT count(*) AS n FROM outbox WHERE id = ?', [id]);
    if (Number(seen?.n ?? 0) > 0) continue;
    const event = await digestEvent(warehouse, channel, window, timeZone);
    if (event.digest.total === 0) continue;
    written += await warehouse.run(
      `INSERT INTO outbox (id, alert_id, channel, payload, status, attempts, next_attempt_at, created_at)
       VALUES (?, ?, ?, ?, 'pending', 0, ${TIMESTAMP_PARAM}, ${TIMESTAMP_PARAM}) ON CONFLICT DO NOTHING`,
      [id, id, channel.name, JSON.stringify(event), now, now],
    );
  }
  return written;
}

/** The digest of the channel's alerts created in the window (of its rules only, when it lists rules). */
async function digestEvent(
  warehouse: Warehouse,
  channel: AlertChannelConfig,
  window: { date: string; from: number; to: number },
  timeZone: string,
): Promise<DigestEvent> {
  const params: SqlParam[] = [window.from, window.to];
  let filter = `created_at >= ${TIMESTAMP_PARAM} AND created_at < ${TIMESTAMP_PARAM}`;
  if (channel.rules) {
    filter += ` AND rule IN (${channel.rules.map(() => '?').join(', ')})`;
    params.push(...channel.rules);
  }
  const counts = await warehouse.all<{ tier: string; rule: string; n: number }>(
    `SELECT tier, rule, count(*) AS n FROM alerts WHERE ${filter} GROUP BY tier, rule`,
    params,
  );
  const top = await warehouse.all<Record<string, SqlCell>>(
    `WITH day AS (SELECT * FROM alerts WHERE ${filter}),
       segments AS (SELECT customer_id, any_value(segment) AS segment FROM customers
         WHERE customer_id IN (SELECT customer_id FROM day) GROUP BY customer_id)
     SELECT d.id, d.customer_id, g.segment, d.rule, d.tier, d.probability, d.reasons_en, d.reasons_zh
     FROM day AS d LEFT JOIN segments AS g USING (customer_id)
     QUALIFY row_number() OVER (PARTITION BY d.customer_id ORDER BY d.probability DESC, d.id) = 1
     ORDER BY d.probability DESC, d.customer_id LIMIT ${TOP}`,
    params,
  );
  const byTier: Record<string, number> = {};
  const byRule: Record<string, number> = {};
  let total = 0;
  for (const row of counts) {
    const n = Number(row.n);
    byTier[row.tier] = (byTier[row.tier] ?? 0) + n;
    byRule[row.rule] = (byRule[row.rule] ?? 0) + n;
    total += n;
  }
  return {
    type: 'alerts.digest',
    digest: {
      date: window.date,
      timeZone,
      from: new Date(window.from).toISOString(),
      to: new Date(window.to).toISOString(),
      total,
      byTier,
      byRule,
      top: top.map(
        (row): DigestCustomer => ({
          alertId: row.id as string,
          customerId: row.customer_id as string,
          segment: (row.segment as string | null) ?? null,
          rule: row.rule as string,
          tier: row.tier as string,
          probability: Number(row.probability),
          reasons: { en: row.reasons_en as string, 'zh-CN': row.reasons_zh as string },
        }),
      ),
    },
  };
}

interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** The wall-clock reading at `ms` in `timeZone`. */
function zonedParts(ms: number, timeZone: string): ZonedParts {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(ms);
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
  };
}

/**
 * The instant whose wall clock in `timeZone` reads year-month-day hour:00 (day may be 0 or past the month's
 * end; Date.UTC normalises it). The offset is read at a first guess and again at the corrected instant,
 * which settles it across a daylight-saving change; an hour skipped by the change maps to the hour after.
 */
function zonedInstant(year: number, month: number, day: number, hour: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day, hour);
  const offsetAt = (ms: number) => {
    const p = zonedParts(ms, timeZone);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - Math.floor(ms / 60_000) * 60_000;
  };
  const first = wall - offsetAt(wall);
  return wall - offsetAt(first);
}
