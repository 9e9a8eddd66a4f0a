import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWarehouse, type Warehouse } from '../warehouse/warehouse.js';
import { channelsFromConfig } from './channels/channels.js';
import { backoffPolicy, deliverDue } from './deliver.js';
import type { DigestEvent } from './digest-event.js';
import { evaluateAlerts } from './evaluate-alerts.js';
import { digestWindow, queueDigests } from './queue-digests.js';
import { addCustomer, addScore, alertsConfig } from './testing/alert-fixtures.js';
import { type Receiver, startReceiver } from './testing/receiver.js';

const HOUR = 3_600_000;
/** 2025-01-10 10:00 in Shanghai (UTC+8): alerts are raised then. */
const RAISED = Date.UTC(2025, 0, 10, 2, 0, 0);
/** 2025-01-11 09:00 in Shanghai: the digest of the 11th is due. */
const DUE = Date.UTC(2025, 0, 11, 1, 0, 0);
let warehouse: Warehouse;
let receiver: Receiver;

beforeEach(async () => {
  warehouse = await openWarehouse(':memory:');
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
  warehouse.close();
});

function section(channel: Record<string, unknown> = {}) {
  return alertsConfig({
    rules: [
      { name: 'hi', kind: 'enters_tier', tier: 'high' },
      { name: 'mid', kind: 'enters_tier', tier: 'medium' },
    ],
    channels: [
      {
        name: 'daily',
        kind: 'webhook',
        url: `${receiver.url}/digest`,
        secret: 's',
        digest: 'daily',
        digest_hour: 9,
        time_zone: 'Asia/Shanghai',
        ...channel,
      },
    ],
  });
}

/** 12 customers rising to high (both rules fire), one to medium, raised at `now`. */
async function seed(alerts: ReturnType<typeof section>, now: number, scoredAt = '2025-01-08') {
  for (let i = 0; i < 13; i++) {
    const id = `c${String(i).padStart(2, '0')}`;
    await addCustomer(warehouse, id, i % 2 ? 'vip' : null);
    await addScore(warehouse, id, '2025-01-01', 0.2);
    await addScore(warehouse, id, scoredAt, i === 12 ? 0.6 : 0.8 + i / 100);
  }
  return evaluateAlerts(warehouse, { config: { alerts }, scoredAt, modelVersion: 1, now });
}

async function outboxIds(): Promise<string[]> {
  const rows = await warehouse.all<{ id: string }>('SELECT id FROM outbox ORDER BY id');
  return rows.map((r) => r.id);
}

describe('the daily digest', () => {
  it('writes no message per alert, then one digest per channel and day once the local hour has passed', async () => {
    const alerts = section();
    const result = await seed(alerts, RAISED);
    expect(result).toMatchObject({ created: 25, messages: 0 });

    expect(await queueDigests(warehouse, alerts, DUE - HOUR / 2)).toBe(0); // 08:30 in Shanghai
    expect(await outboxIds()).toEqual([]);
    expect(await queueDigests(warehouse, alerts, DUE)).toBe(1);
    expect(await queueDigests(warehouse, alerts, DUE + HOUR)).toBe(0); // idempotent
    expect(await queueDigests(warehouse, alerts, DUE + 14 * HOUR)).toBe(0); // 23:00, same local day
    expect(await outboxIds()).toEqual(['digest:daily:2025-01-11']);

    const policy = backoffPolicy(alerts.delivery);
    const channels = channelsFromConfig(alerts);
    expect(await deliverDue(warehouse, { channels, policy, clock: () => DUE })).toMatchObject({
      delivered: 1,
    });
    const body = JSON.parse(receiver.requests[0]!.body) as { id: string } & DigestEvent;
    expect(body.id).toBe('digest:daily:2025-01-11');
    const d = body.digest;
    expect(d).toMatchObject({
      date: '2025-01-11',
      timeZone: 'Asia/Shanghai',
      from: '2025-01-10T01:00:00.000Z',
      to: '2025-01-11T01:00:00.000Z',
      total: 25,
      byTier: { high: 24, medium: 1 },
      byRule: { hi: 12, mid: 13 },
    });
    // Top 10 customers, one entry each, highest probability first, with reasons; no personal fields.
    expect(d.top.map((c) => c.customerId)).toEqual([
      'c11',
      'c10',
      'c09',
      'c08',
      'c07',
      'c06',
      'c05',
      'c04',
      'c03',
      'c02',
    ]);
    expect(d.top[0]).toMatchObject({ tier: 'high', probability: 0.91, segment: 'vip' });
    expect(d.top[0]!.reasons['zh-CN']).toBe('high风险：40 天未购买');
    expect(receiver.requests[0]!.body).not.toMatch(/王芳|13812345678|wang\.fang/);

    // The next day: yesterday's alerts are not counted again; a day without new alerts sends nothing.
    expect(await queueDigests(warehouse, alerts, DUE + 24 * HOUR)).toBe(0);
  });

  it('the delivery pass queues the digest itself, and a channel with rules counts only those', async () => {
    const alerts = section({ rules: ['mid'] });
    await seed(alerts, RAISED);
    const options = {
      channels: channelsFromConfig(alerts),
      digests: alerts,
      policy: backoffPolicy(alerts.delivery),
      clock: () => DUE + HOUR,
    };
    expect(await deliverDue(warehouse, options)).toMatchObject({ delivered: 1 });
    expect(await deliverDue(warehouse, options)).toMatchObject({ delivered: 0 });
    const body = JSON.parse(receiver.requests[0]!.body) as DigestEvent;
    expect(body.digest).toMatchObject({ total: 13, byRule: { mid: 13 } });
  });

  it('renders a chat text in Chinese with counts and the top customers', async () => {
    await receiver.close();
    receiver = await startReceiver(() => ({ status: 200, body: '{"errcode":0}' }));
    const alerts = alertsConfig({
      ...section(),
      channels: [
        { name: 'daily', kind: 'wecom', url: `${receiver.url}/wecom`, digest: 'daily', digest_hour: 9 },
      ],
    });
    await seed(alerts, RAISED);
    await deliverDue(warehouse, {
      channels: channelsFromConfig(alerts),
      digests: alerts,
      policy: backoffPolicy(alerts.delivery),
      clock: () => DUE,
    });
    const text = (JSON.parse(receiver.requests[0]!.body) as { markdown: { content: string } }).markdown
      .content;
    expect(text).toContain('**流失预警日报 2025-01-11：新预警 25 条**');
    expect(text).toContain('按风险等级: 高风险 24 · 中风险 1');
    expect(text).toContain('按规则: hi 12 · mid 13');
    expect(text).toContain('1. c11 · 高风险 · 91.0% · high风险：40 天未购买');
  });

  it('finds the local hour across a daylight-saving change', () => {
    // New York springs forward on 2025-03-09: 09:00 is UTC−5 the day before and UTC−4 that day.
    const w = digestWindow(Date.UTC(2025, 2, 9, 15), 9, 'America/New_York');
    expect(w.date).toBe('2025-03-09');
    expect(new Date(w.from).toISOString()).toBe('2025-03-08T14:00:00.000Z');
    expect(new Date(w.to).toISOString()).toBe('2025-03-09T13:00:00.000Z');
    // Month boundary, in Shanghai.
    const m = digestWindow(Date.UTC(2025, 2, 1, 2), 9, 'Asia/Shanghai');
    expect([m.date, new Date(m.from).toISOString()]).toEqual(['2025-03-01', '2025-02-28T01:00:00.000Z']);
  });

  it('validates the digest keys', () => {
    expect(() => section({ time_zone: 'Mars/Olympus' })).toThrow(/IANA time zone/);
    expect(() => section({ digest: undefined })).toThrow(/digest_hour and time_zone need digest: daily/);
  });
});
