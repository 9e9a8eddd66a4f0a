import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWarehouse, type Warehouse } from '../../warehouse/warehouse.js';
import { backoffPolicy, deliverDue } from '../deliver.js';
import { evaluateAlerts } from '../evaluate-alerts.js';
import { listOutbox } from '../outbox.js';
import { addCustomer, addScore, alertsConfig } from '../testing/alert-fixtures.js';
import { mailHeader, mailParts, type SmtpSink, startSmtpSink } from '../testing/smtp-sink.js';
import { channelsFromConfig } from './channels.js';

const T0 = Date.UTC(2025, 0, 10, 8, 0, 0);
let warehouse: Warehouse;
let sink: SmtpSink;
let now = T0;

beforeEach(async () => {
  warehouse = await openWarehouse(':memory:');
  now = T0;
});
afterEach(async () => {
  await sink?.close();
  warehouse.close();
  delete process.env.CW_TEST_SMTP_PASSWORD;
});

function section(port: number, channel: Record<string, unknown> = {}) {
  return alertsConfig({
    rules: [{ name: 'hi', kind: 'enters_tier', tier: 'high' }],
    channels: [
      {
        name: 'mail',
        kind: 'email',
        host: '127.0.0.1',
        port,
        starttls: 'off',
        from: 'churnwatch <alerts@example.com>',
        to: ['retention@example.com', 'lead@example.com'],
        timeout_ms: 2000,
        ...channel,
      },
    ],
    delivery: { max_attempts: 2, base_delay_seconds: 10 },
  });
}

async function seedAlert(alerts: ReturnType<typeof section>): Promise<void> {
  await addCustomer(warehouse, 'C42', 'vip');
  await addScore(warehouse, 'C42', '2025-01-01', 0.3);
  await addScore(warehouse, 'C42', '2025-01-08', 0.91);
  const result = await evaluateAlerts(warehouse, {
    config: { alerts },
    scoredAt: '2025-01-08',
    modelVersion: 1,
    now,
  });
  expect(result.messages).toBe(1);
}

describe('the e-mail channel against a real local SMTP server', () => {
  it('sends one mail in Chinese to every address, logged in with the password from the environment', async () => {
    sink = await startSmtpSink({ user: 'alerts', password: 's3cret ☂' });
    process.env.CW_TEST_SMTP_PASSWORD = 's3cret ☂';
    const alerts = section(sink.port, { username: 'alerts', password_env: 'CW_TEST_SMTP_PASSWORD' });
    await seedAlert(alerts);
    const options = {
      channels: channelsFromConfig(alerts),
      policy: backoffPolicy(alerts.delivery),
      clock: () => now,
    };
    expect(await deliverDue(warehouse, options)).toEqual({ delivered: 1, retried: 0, dead: 0 });

    expect(sink.mails).toHaveLength(1);
    const mail = sink.mails[0]!;
    expect(mail.user).toBe('alerts');
    expect(mail.from).toBe('alerts@example.com');
    expect(mail.to).toEqual(['retention@example.com', 'lead@example.com']);
    expect(mailHeader(mail.raw, 'Subject')).toBe('流失预警：客户 C42 高风险，流失概率 91.0%（此前 30.0%）');
    const [text] = mailParts(mail.raw, 'text/plain');
    expect(text).toContain('原因: high风险：40 天未购买'); // the fixture's reason text
    expect(text).toContain('规则: hi · 客群: vip');
    const [html] = mailParts(mail.raw, 'text/html');
    expect(html).toContain('<h3>流失预警：客户 C42 高风险');
    // Personal fields of the customer never leave: the fixture's name, phone and e-mail.
    for (const body of [mail.raw, text, html]) {
      expect(body).not.toMatch(/王芳|13812345678|wang\.fang/);
    }
    expect(mailHeader(mail.raw, 'Message-ID')).toMatch(/^<[0-9a-f-]+@churnwatch>$/);
  });

  it('writes English when asked', async () => {
    sink = await startSmtpSink();
    const alerts = section(sink.port, { language: 'en' });
    await seedAlert(alerts);
    await deliverDue(warehouse, {
      channels: channelsFromConfig(alerts),
      policy: backoffPolicy(alerts.delivery),
      clock: () => now,
    });
    const mail = sink.mails[0]!;
    expect(mailHeader(mail.raw, 'Subject')).toBe(
      'Churn alert: customer C42 is high risk, churn probability 91.0% (was 30.0%)',
    );
    expect(mailParts(mail.raw, 'text/plain')[0]).toContain('Why: high risk: no purchase in 40 days');
  });

  it('a server that refuses (550) fails the attempt: retried with backoff, then dead', async () => {
    sink = await startSmtpSink({ refuse: () => 550 });
    const alerts = section(sink.port);
    await seedAlert(alerts);
    const options = {
      channels: channelsFromConfig(alerts),
      policy: backoffPolicy(alerts.delivery),
      clock: () => now,
      random: () => 1,
    };
    expect(await deliverDue(warehouse, options)).toEqual({ delivered: 0, retried: 1, dead: 0 });
    const [pending] = (await listOutbox(warehouse, { status: 'pending', limit: 5, offset: 0 })).messages;
    expect(pending!.lastError).toMatch(/^SMTP 127\.0\.0\.1:\d+: .*550/);
    now += 10_000;
    expect(await deliverDue(warehouse, options)).toEqual({ delivered: 0, retried: 0, dead: 1 });
    expect(sink.mails).toHaveLength(0);
  });

  it('a server that is not there fails the attempt too', async () => {
    sink = await startSmtpSink();
    const port = sink.port;
    await sink.close();
    const alerts = section(port);
    await seedAlert(alerts);
    const pass = await deliverDue(warehouse, {
      channels: channelsFromConfig(alerts),
      policy: backoffPolicy(alerts.delivery),
      clock: () => now,
    });
    expect(pass.retried).toBe(1);
    const [pending] = (await listOutbox(warehouse, { status: 'pending', limit: 5, offset: 0 })).messages;
    expect(pending!.lastError).toMatch(/ECONNREFUSED/);
  });

  it('names the key of an unset password variable', () => {
    expect(() =>
      channelsFromConfig(section(25, { username: 'u', password_env: 'CW_TEST_SMTP_PASSWORD' })),
    ).toThrow(expect.objectContaining({ where: { key: 'alerts.channels.0.password_env' } }));
  });
});
