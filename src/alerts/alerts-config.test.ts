import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load-config.js';

const base = `sources:\n  transactions: { path: t.csv }\nchurn: { kind: non_contractual, horizon_days: 90 }\n`;

function whereOf(text: string): unknown {
  try {
    parseConfig(base + text);
  } catch (error) {
    return (error as { where?: unknown }).where;
  }
  return null;
}

describe('the alerts section', () => {
  it('defaults to one enters-high rule, no channels and 8 attempts', () => {
    const { alerts } = parseConfig(base);
    expect(alerts.rules).toEqual([
      { name: 'enters-high', kind: 'enters_tier', tier: 'high', first_score: false },
    ]);
    expect(alerts.channels).toEqual([]);
    expect(alerts.delivery.max_attempts).toBe(8);
  });

  it('names the key path of a bad rule or channel', () => {
    expect(
      whereOf('alerts:\n  rules:\n    - { name: j, kind: score_jump, min_increase: 2 }\n'),
    ).toMatchObject({
      key: 'alerts.rules.0.min_increase',
    });
    expect(whereOf('alerts:\n  rules:\n    - { name: j, kind: sometimes }\n')).toMatchObject({
      key: expect.stringMatching(/^alerts\.rules\.0/),
    });
    expect(
      whereOf('alerts:\n  channels:\n    - { name: c, kind: webhook, url: "http://x/h" }\n'),
    ).toMatchObject({ key: 'alerts.channels.0.secret_env' });
    expect(
      whereOf('alerts:\n  channels:\n    - { name: c, kind: slack, url: "http://x/h", rules: [nope] }\n'),
    ).toMatchObject({ key: 'alerts.channels.0.rules.0' });
    expect(
      whereOf(
        'alerts:\n  rules:\n    - { name: a, kind: enters_tier, tier: high }\n    - { name: a, kind: enters_tier, tier: medium }\n',
      ),
    ).toMatchObject({ key: 'alerts.rules.1.name' });
  });

  it('reads e-mail and SMS channels with their defaults, and names the key of a bad one', () => {
    const { alerts } = parseConfig(
      `${base}alerts:\n  channels:\n    - { name: m, kind: email, host: smtp.example.com, from: a@example.com, to: [b@example.com] }\n    - { name: s, kind: sms, url: "https://sms.example.com/send", to: ["+8613800000000"] }\n`,
    );
    expect(alerts.channels[0]).toMatchObject({
      port: 587,
      secure: false,
      starttls: 'required',
      language: 'zh-CN',
    });
    expect(alerts.channels[1]).toMatchObject({
      method: 'POST',
      max_length: 70,
      content_type: 'application/json',
    });
    expect(
      whereOf('alerts:\n  channels:\n    - { name: m, kind: email, host: h, from: a@b.c, to: [nobody] }\n'),
    ).toMatchObject({ key: 'alerts.channels.0.to.0' });
    expect(
      whereOf('alerts:\n  channels:\n    - { name: s, kind: sms, url: "http://h/x", to: ["12"] }\n'),
    ).toMatchObject({ key: 'alerts.channels.0.to.0' });
  });
});
