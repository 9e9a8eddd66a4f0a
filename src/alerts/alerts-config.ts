// The `alerts:` section of churnwatch.yaml as zod schemas: rules (what raises an alert), channels (where it
// is announced) and delivery (retries). Imported by config/config-schema.ts; errors name the key path.

import { z } from 'zod';

const name = z.string().min(1, 'expected a non-empty string');
/** Rule and channel names: they are stored with every alert and message, so kept simple. */
export const handle = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'expected lower-case letters, digits, - and _ (e.g. high-risk)');
const tierName = z.enum(['high', 'medium', 'low']);
const probability = z.number().gt(0).lt(1);
const wholeDays = z.number().int('expected a whole number').min(0, 'expected a number >= 0');
const language = z.enum(['en', 'zh-CN']);
export const httpUrl = z
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

/** An IANA time zone name such as Asia/Shanghai. */
export const timeZone = name.refine((zone) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, 'expected an IANA time zone such as Asia/Shanghai');

const channelBase = {
  name: handle,
  /** Only alerts of these rules (names); default every rule. */
  rules: z.array(handle).min(1).optional(),
  /** Milliseconds to wait for the receiver's answer (default 5000). */
  timeout_ms: z.number().int().min(100).max(120_000).default(5000),
  /** `daily`: one summary message per day instead of one message per alert (src/alerts/queue-digests.ts). */
  digest: z.literal('daily').optional(),
  /** Local hour (0–23) at which the daily digest is sent (default 9). */
  digest_hour: z.number().int().min(0).max(23).optional(),
  /** The IANA time zone of digest_hour (default Asia/Shanghai). */
  time_zone: timeZone.optional(),
};

const robotBase = {
  ...channelBase,
  url: httpUrl,
  /** Language of the message text (default zh-CN; Slack en). */
  language: language.optional(),
};

const emailAddress = z
  .string()
  .regex(/^[^\s@<>,;]+@[^\s@<>,;]+$/, 'expected an e-mail address such as a@b.com');
/** A header name as HTTP allows it. */
const headerName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'expected an HTTP header name');

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
  /** E-mail through an SMTP server (src/alerts/channels/email.ts). */
  z.strictObject({
    ...channelBase,
    kind: z.literal('email'),
    host: name,
    port: z.number().int().min(1).max(65_535).default(587),
    /** TLS from the first byte (SMTPS, usually port 465). */
    secure: z.boolean().default(false),
    /** Without `secure`: `required` (default) refuses a server without STARTTLS, `opportunistic` upgrades
     *  when offered, `off` never upgrades (a relay on localhost). */
    starttls: z.enum(['required', 'opportunistic', 'off']).default('required'),
    username: name.optional(),
    /** The environment variable holding the password (needs `username`). */
    password_env: name.optional(),
    from: z.string().min(3, 'expected a sender such as "churnwatch <alerts@example.com>"'),
    to: z.array(emailAddress).min(1),
    language: language.default('zh-CN'),
  }),
  /** SMS through a provider's HTTP API: a generic adapter (src/alerts/channels/sms.ts). */
  z.strictObject({
    ...channelBase,
    kind: z.literal('sms'),
    /** The provider's endpoint; `{to}`, `{text}` and `{id}` in it are replaced (URL-encoded). */
    url: httpUrl,
    method: z.enum(['POST', 'PUT', 'GET']).default('POST'),
    /** Fixed headers (no secrets here). */
    headers: z.record(headerName, z.string()).default({}),
    /** Headers whose value is read from an environment variable: header name → variable name. */
    header_env: z.record(headerName, name).default({}),
    content_type: z.string().min(1).default('application/json'),
    /** The request body with `{to}`, `{text}` and `{id}` (message id) placeholders, escaped for the content
     *  type (JSON string, form-URL-encoded or as is). Not allowed with GET. */
    body: z.string().optional(),
    /** The recipients' phone numbers (one request each). */
    to: z
      .array(z.string().regex(/^\+?[0-9][0-9 -]{4,19}$/, 'expected a phone number such as +8613800000000'))
      .min(1),
    /** Besides an HTTP 2xx, the JSON answer's `field` (dot path) must equal `equals`. */
    success: z
      .strictObject({ field: name, equals: z.union([z.string(), z.number(), z.boolean()]) })
      .optional(),
    /** Characters of text at most (longer texts are cut and end in …); default 70, one Chinese SMS. */
    max_length: z.number().int().min(10).max(1000).default(70),
    language: language.default('zh-CN'),
  }),
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
        channel.digest === undefined &&
        (channel.digest_hour !== undefined || channel.time_zone !== undefined)
      ) {
        context.addIssue({
          code: 'custom',
          path: ['channels', index, 'digest'],
          message: 'digest_hour and time_zone need digest: daily',
        });
      }
      if (channel.kind === 'email' && channel.password_env !== undefined && channel.username === undefined) {
        context.addIssue({
          code: 'custom',
          path: ['channels', index, 'username'],
          message: 'password_env needs a username',
        });
      }
      if (channel.kind === 'sms' && channel.method === 'GET' && channel.body !== undefined) {
        context.addIssue({
          code: 'custom',
          path: ['channels', index, 'body'],
          message: 'a GET request has no body: put {to} and {text} in the url',
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

/** Adds an issue at `key`.i.name for each name used before in `items`. */
export function unique(items: readonly { name: string }[], key: string, context: z.RefinementCtx): void {
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
