// The `alerts:` section of churnwatch.yaml as zod schemas: rules (what raises an alert), channels (where it
// is announced) and delivery (retries). Imported by config/config-schema.ts; errors name the key path.

import { z } from 'zod';

const name = z.string().min(1, 'expected a non-empty string');
/** Rule and channel names: they are stored with every alert and message, so kept simple. */
const handle = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'expected lower-case letters, digits, - and _ (e.g. high-risk)');
const tierName = z.enum(['high', 'medium', 'low']);
const probability = z.number().gt(0).lt(1);
const wholeDays = z.number().int('expected a whole number').min(0, 'expected a number >= 0');
const httpUrl = z
  .string()
  .refine((text) => /^https?:\/\/[^\s]+$/.test(text), 'expected an http:// or https:// URL');

/** Who a rule applies to; every filter given must hold (a list matches any of its entries). */
const filters = {
  /** Customer segments (customers.segment). */
  segments: z.array(name).min(1).optional(),
  /** The tier of the new score. */
  tiers: z.array(tierName).min(1).optional(),
  /** Feature names among the score's drivers (reasons), e.g. days_since_last_transaction. */
  reasons: z.array(name).min(1).optional(),
};

const ruleBase = {
  name: handle,
  ...filters,
  /** Days after an alert of this rule for a customer is closed in which no new one is raised (default: alerts.quiet_days). */
  quiet_days: wholeDays.optional(),
};

export const alertRuleSchema = z.discriminatedUnion('kind', [
  /** The customer's tier is `tier` or above now and was below it at the previous score. */
  z.strictObject({
    ...ruleBase,
    kind: z.literal('enters_tier'),
    tier: z.enum(['high', 'medium']),
    /** Also alert customers scored for the first time (no previous score) who are in the tier. Default false. */
    first_score: z.boolean().default(false),
  }),
  /** The probability rose by more than `min_increase` (absolute, 0.2 = 20 points) since the previous score. */
  z.strictObject({ ...ruleBase, kind: z.literal('score_jump'), min_increase: probability }),
  /** A customer worth more than `min_value` (spend in the last `value_days`) crosses `probability`. */
  z.strictObject({
    ...ruleBase,
    kind: z.literal('high_value_threshold'),
    min_value: z.number().min(0),
    value_days: z.number().int('expected a whole number').positive('expected a number > 0').default(90),
    probability,
  }),
]);
export type AlertRule = z.infer<typeof alertRuleSchema>;
export type AlertRuleKind = AlertRule['kind'];

/** A secret given in the file or, better, named by the environment variable that holds it. */
const secretKeys = { secret: name.optional(), secret_env: name.optional() };

const channelBase = {
  name: handle,
  /** Only alerts of these rules (names); default every rule. */
  rules: z.array(handle).min(1).optional(),
  /** Milliseconds to wait for the receiver's answer (default 5000). */
  timeout_ms: z.number().int().min(100).max(120_000).default(5000),
};

const robotBase = {
  ...channelBase,
  url: httpUrl,
  /** Language of the message text (default zh-CN; Slack en). */
  language: z.enum(['en', 'zh-CN']).optional(),
};

export const alertChannelSchema = z.discriminatedUnion('kind', [
  /** JSON POST signed with HMAC-SHA256 (src/alerts/channels/webhook.ts documents the scheme). */
  z.strictObject({ ...channelBase, kind: z.literal('webhook'), url: httpUrl, ...secretKeys }),
  /** WeCom (企业微信) group robot: its webhook URL holds the key. */
  z.strictObject({ ...robotBase, kind: z.literal('wecom') }),
  /** DingTalk (钉钉) group robot; with a secret the URL is signed (timestamp, sign). */
  z.strictObject({ ...robotBase, kind: z.literal('dingtalk'), ...secretKeys }),
  /** Feishu / Lark custom bot; with a secret the body carries timestamp and sign. */
  z.strictObject({ ...robotBase, kind: z.literal('feishu'), ...secretKeys }),
  /** Slack incoming webhook. */
  z.strictObject({ ...robotBase, kind: z.literal('slack') }),
]);
export type AlertChannelConfig = z.infer<typeof alertChannelSchema>;
export type ChannelKind = AlertChannelConfig['kind'];

export const deliverySchema = z.strictObject({
  /** Attempts before a message is dead (dead-letter). */
  max_attempts: z.number().int().min(1).max(100).default(8),
  /** First retry after about this many seconds; doubled per failure (with jitter). */
  base_delay_seconds: z.number().positive().default(30),
  /** No retry waits longer than this. */
  max_delay_seconds: z.number().positive().default(3600),
  /** How often the delivery loop looks for due messages. */
  poll_seconds: z.number().positive().default(5),
});
export type DeliveryConfig = z.infer<typeof deliverySchema>;

/** Without an `alerts:` section: one rule, customers entering the high tier, shown on the dashboard only. */
export const DEFAULT_ALERT_RULES: AlertRule[] = [
  { name: 'enters-high', kind: 'enters_tier', tier: 'high', first_score: false },
];

export const alertsSchema = z
  .strictObject({
    rules: z.array(alertRuleSchema).default(DEFAULT_ALERT_RULES),
    /** Default quiet period of every rule, in days. */
    quiet_days: wholeDays.default(7),
    channels: z.array(alertChannelSchema).default([]),
    delivery: deliverySchema.default(deliverySchema.parse({})),
  })
  .superRefine((alerts, context) => {
    unique(alerts.rules, 'rules', context);
    unique(alerts.channels, 'channels', context);
    const rules = new Set(alerts.rules.map((rule) => rule.name));
    alerts.channels.forEach((channel, index) => {
      channel.rules?.forEach((rule, r) => {
        if (!rules.has(rule)) {
          context.addIssue({
            code: 'custom',
            path: ['channels', index, 'rules', r],
            message: `no rule named "${rule}" in alerts.rules`,
          });
        }
      });
      if (
        channel.kind === 'webhook' &&
        (channel.secret === undefined) === (channel.secret_env === undefined)
      ) {
        context.addIssue({
          code: 'custom',
          path: ['channels', index, 'secret_env'],
          message: 'a webhook needs exactly one of secret_env (an environment variable) or secret',
        });
      }
      if (
        (channel.kind === 'dingtalk' || channel.kind === 'feishu') &&
        channel.secret !== undefined &&
        channel.secret_env !== undefined
      ) {
        context.addIssue({
          code: 'custom',
          path: ['channels', index, 'secret'],
          message: 'give secret or secret_env, not both',
        });
      }
    });
  });
export type AlertsConfig = z.infer<typeof alertsSchema>;

/** The section's defaults (no `alerts:` in the file). */
export const DEFAULT_ALERTS: AlertsConfig = alertsSchema.parse({});

function unique(items: readonly { name: string }[], key: string, context: z.RefinementCtx): void {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (seen.has(item.name)) {
      context.addIssue({
        code: 'custom',
        path: [key, index, 'name'],
        message: `"${item.name}" is used twice: names must be unique`,
      });
    }
    seen.add(item.name);
  });
}
