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
});
