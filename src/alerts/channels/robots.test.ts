import { afterEach, describe, expect, it } from 'vitest';
import { alertsConfig, sampleAlertEvent } from '../testing/alert-fixtures.js';
import { type Receiver, startReceiver } from '../testing/receiver.js';
import { channelsFromConfig } from './channels.js';
import { dingtalkSign, signedDingtalkUrl } from './dingtalk.js';
import { feishuSign } from './feishu.js';

const NOW = Date.UTC(2025, 0, 10, 8, 0, 0);
const event = sampleAlertEvent(NOW, '高风险：40 天未购买');
const message = { id: 'm-1', alertId: 'al-1', channel: 'x', event, attempts: 0 };
let receiver: Receiver;
afterEach(() => receiver.close());

function channel(spec: Record<string, unknown>) {
  return channelsFromConfig(alertsConfig({ channels: [{ name: 'x', ...spec }] }))[0]!;
}

describe('chat robots against a local stand-in for the provider', () => {
  it('WeCom: a markdown message in Chinese; errcode ≠ 0 is a failure', async () => {
    receiver = await startReceiver((_, i) => ({
      status: 200,
      body: JSON.stringify(
        i === 0 ? { errcode: 0, errmsg: 'ok' } : { errcode: 93000, errmsg: 'invalid webhook url' },
      ),
    }));
    const wecom = channel({ kind: 'wecom', url: `${receiver.url}/cgi-bin/webhook/send?key=K` });
    await wecom.send(message, NOW);
    const body = JSON.parse(receiver.requests[0]!.body) as { msgtype: string; markdown: { content: string } };
    expect(body.msgtype).toBe('markdown');
    expect(body.markdown.content).toContain('客户 C42 高风险，流失概率 87.3%（此前 61.0%）');
    await expect(wecom.send(message, NOW)).rejects.toThrow(/errcode 93000 invalid webhook url/);
  });

  it('DingTalk: signs the URL with timestamp and base64 HMAC-SHA256 of "timestamp\\nsecret"', async () => {
    receiver = await startReceiver(() => ({ status: 200, body: '{"errcode":0,"errmsg":"ok"}' }));
    const ding = channel({
      kind: 'dingtalk',
      url: `${receiver.url}/robot/send?access_token=T`,
      secret: 'SEC',
    });
    await ding.send(message, NOW);
    const url = new URL(receiver.requests[0]!.url, receiver.url);
    expect(url.searchParams.get('access_token')).toBe('T');
    expect(url.searchParams.get('timestamp')).toBe(String(NOW));
    expect(url.searchParams.get('sign')).toBe(dingtalkSign('SEC', NOW));
    expect(signedDingtalkUrl('http://h/r?access_token=T', 'SEC', NOW)).toContain(
      `sign=${encodeURIComponent(dingtalkSign('SEC', NOW))}`,
    );
    const body = JSON.parse(receiver.requests[0]!.body) as {
      msgtype: string;
      markdown: { title: string; text: string };
    };
    expect(body.msgtype).toBe('markdown');
    expect(body.markdown.title).toContain('C42');
  });

  it('Feishu: a text message with timestamp and sign in the body; code ≠ 0 is a failure', async () => {
    receiver = await startReceiver((_, i) => ({
      status: 200,
      body: JSON.stringify(i === 0 ? { code: 0, msg: 'success' } : { code: 19021, msg: 'sign match fail' }),
    }));
    const lark = channel({
      kind: 'feishu',
      url: `${receiver.url}/open-apis/bot/v2/hook/H`,
      secret: 'SEC',
      language: 'en',
    });
    await lark.send(message, NOW);
    const body = JSON.parse(receiver.requests[0]!.body) as {
      timestamp: string;
      sign: string;
      msg_type: string;
      content: { text: string };
    };
    expect(body).toMatchObject({
      timestamp: String(NOW / 1000),
      sign: feishuSign('SEC', NOW / 1000),
      msg_type: 'text',
    });
    expect(body.content.text).toContain('customer C42 is high risk');
    await expect(lark.send(message, NOW)).rejects.toThrow(/code 19021/);
  });

  it('Slack: text in English; a non-2xx answer is a failure', async () => {
    receiver = await startReceiver((_, i) =>
      i === 0 ? { status: 200, body: 'ok' } : { status: 404, body: 'no_team' },
    );
    const slack = channel({ kind: 'slack', url: `${receiver.url}/services/A/B/C` });
    await slack.send(message, NOW);
    expect((JSON.parse(receiver.requests[0]!.body) as { text: string }).text).toMatch(
      /^\*Churn alert: customer C42/,
    );
    await expect(slack.send(message, NOW)).rejects.toThrow(/HTTP 404 no_team/);
  });
});
