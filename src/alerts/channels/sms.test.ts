import { afterEach, describe, expect, it } from 'vitest';
import { alertsConfig, sampleAlertEvent } from '../testing/alert-fixtures.js';
import { type Receiver, startReceiver } from '../testing/receiver.js';
import { channelsFromConfig } from './channels.js';
import { bodyEscape, fillTemplate, smsText } from './sms.js';

const NOW = Date.UTC(2025, 0, 10, 8, 0, 0);
const event = sampleAlertEvent(NOW, '高风险：40 天未购买，"投诉" 1 次');
const message = { id: 'm-1', alertId: 'al-1', channel: 'sms', event, attempts: 0 };
let receiver: Receiver;
afterEach(async () => {
  await receiver.close();
  delete process.env.CW_TEST_SMS_TOKEN;
});

function channel(spec: Record<string, unknown>) {
  return channelsFromConfig(alertsConfig({ channels: [{ name: 'sms', kind: 'sms', ...spec }] }))[0]!;
}

describe('the SMS adapter against a local stand-in for the provider', () => {
  it('POSTs the JSON template once per phone, with the secret header from the environment', async () => {
    receiver = await startReceiver(() => ({ status: 200, body: '{"result":{"code":"OK"}}' }));
    process.env.CW_TEST_SMS_TOKEN = 'tok-123';
    const sms = channel({
      url: `${receiver.url}/v1/sms`,
      headers: { 'X-App': 'churnwatch' },
      header_env: { Authorization: 'CW_TEST_SMS_TOKEN' },
      body: '{"phone":"{to}","content":"{text}","ref":"{id}"}',
      to: ['+8613800000001', '+8613800000002'],
      success: { field: 'result.code', equals: 'OK' },
      max_length: 200,
    });
    await sms.send(message, NOW);
    expect(receiver.requests).toHaveLength(2);
    const bodies = receiver.requests.map(
      (r) => JSON.parse(r.body) as { phone: string; content: string; ref: string },
    );
    expect(bodies.map((b) => b.phone)).toEqual(['+8613800000001', '+8613800000002']);
    expect(bodies[0]!.content).toBe(
      '流失预警：客户 C42 高风险，流失概率 87.3%（此前 61.0%）。高风险：40 天未购买，"投诉" 1 次',
    );
    expect(bodies[0]!.ref).toBe('m-1');
    const headers = receiver.requests[0]!.headers;
    expect(headers.authorization).toBe('tok-123');
    expect(headers['x-app']).toBe('churnwatch');
    expect(headers['content-type']).toBe('application/json');
  });

  it('a 2xx answer whose success field differs is a refusal; so is a non-2xx one', async () => {
    receiver = await startReceiver((_, i) =>
      i === 0
        ? { status: 200, body: '{"code":"isv.BUSINESS_LIMIT_CONTROL","message":"limit"}' }
        : { status: 500, body: 'oops' },
    );
    const sms = channel({
      url: `${receiver.url}/send`,
      body: '{"to":"{to}","text":"{text}"}',
      to: ['13800000001'],
      success: { field: 'code', equals: 'OK' },
    });
    await expect(sms.send(message, NOW)).rejects.toThrow(
      /refused: code is "isv.BUSINESS_LIMIT_CONTROL", expected "OK"/,
    );
    await expect(sms.send(message, NOW)).rejects.toThrow(/HTTP 500 oops/);
  });

  it('GET with the values URL-encoded in the query; English text cut to max_length', async () => {
    receiver = await startReceiver();
    const sms = channel({
      url: `${receiver.url}/api?to={to}&msg={text}`,
      method: 'GET',
      to: ['+8613800000001'],
      language: 'en',
      max_length: 40,
    });
    await sms.send(message, NOW);
    const url = new URL(receiver.requests[0]!.url, receiver.url);
    expect(receiver.requests[0]!.method).toBe('GET');
    expect(url.searchParams.get('to')).toBe('+8613800000001');
    const text = url.searchParams.get('msg')!;
    expect([...text]).toHaveLength(40);
    expect(text).toBe('Churn alert: customer C42 is high risk,…');
  });

  it('form bodies are URL-encoded, and Chinese text is cut by characters (default 70)', () => {
    expect(
      fillTemplate(
        'to={to}&text={text}',
        { to: '+86 1', text: 'a&b', id: 'x' },
        bodyEscape('application/x-www-form-urlencoded'),
      ),
    ).toBe('to=%2B86%201&text=a%26b');
    const long = {
      ...event,
      alert: { ...event.alert, reasons: { ...event.alert.reasons, 'zh-CN': '很长'.repeat(50) } },
    };
    const text = smsText(long, 'zh-CN', 70);
    expect([...text]).toHaveLength(70);
    expect(text.endsWith('…')).toBe(true);
  });

  it('names the key of an unset header variable, and rejects a GET with a body', () => {
    expect(() =>
      channel({
        url: 'http://127.0.0.1:1/x',
        to: ['13800000001'],
        header_env: { 'X-Key': 'CW_TEST_SMS_TOKEN' },
      }),
    ).toThrow(expect.objectContaining({ where: { key: 'alerts.channels.0.header_env.X-Key' } }));
    expect(() =>
      alertsConfig({
        channels: [
          { name: 's', kind: 'sms', url: 'http://h/x', method: 'GET', body: '{}', to: ['13800000001'] },
        ],
      }),
    ).toThrow(/a GET request has no body/);
  });
});
