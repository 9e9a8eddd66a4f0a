// The webhook channel: each alert is POSTed as JSON to the configured URL, signed so the receiver can tell
// it came from us and was not replayed.
//
// ── Signature scheme, for receivers ───────────────────────────────────────────────────────────────────────
//   POST <url>
//   Content-Type: application/json; charset=utf-8
//   X-Churnwatch-Id: <message id>            the same on every retry of a message: the idempotency key
//   Idempotency-Key: <message id>            (same value, under the common name)
//   X-Churnwatch-Timestamp: <t>              Unix time in seconds when this attempt was signed
//   X-Churnwatch-Signature: sha256=<hex>     HMAC-SHA256, key = the shared secret (UTF-8),
//                                            message = t + "." + the raw request body (bytes as received)
//   X-Churnwatch-Attempt: <n>                1 for the first attempt, 2 for the first retry …
//   body: {"id": <message id>, "type": "alert.created", "alert": {…}}   (src/alerts/alert-event.ts)
//
// To verify: recompute the HMAC over `${t}.${rawBody}` before parsing the JSON, compare it with the hex after
// "sha256=" in constant time, reject a timestamp more than 5 minutes from your clock (replays), and treat a
// message id seen before as a success without acting again: delivery is at-least-once, so a message may
// arrive twice (e.g. the answer was lost). Answer any 2xx to accept; anything else, or no answer within the
// timeout, is retried with exponential backoff until the attempts run out. `verifyWebhookSignature` below
// is a reference implementation.

import { createHmac, timingSafeEqual } from 'node:crypto';
import { InputError } from '../../errors.js';
import type { AlertChannelConfig } from '../alerts-config.js';
import type { OutboxMessage } from '../outbox.js';
import { type Channel, postJson } from './channel.js';

type WebhookConfig = Extract<AlertChannelConfig, { kind: 'webhook' }>;

/** Header names of the scheme. */
export const WEBHOOK_HEADERS = {
  id: 'X-Churnwatch-Id',
  timestamp: 'X-Churnwatch-Timestamp',
  signature: 'X-Churnwatch-Signature',
  attempt: 'X-Churnwatch-Attempt',
} as const;

/** `sha256=<hex>` of HMAC-SHA256(secret, timestamp + "." + body). */
export function webhookSignature(secret: string, timestamp: number | string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** True when `signature` is the one for `timestamp` and `body` and the timestamp is within `toleranceSeconds` of `nowSeconds`. */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string,
  body: string,
  signature: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const t = Number(timestamp);
  if (!/^\d+$/.test(timestamp) || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(webhookSignature(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The secret of a channel: from its environment variable, or as written; InputError naming the key if unset. */
export function channelSecret(
  config: { secret?: string | undefined; secret_env?: string | undefined },
  where: string,
): string | undefined {
  if (config.secret !== undefined) return config.secret;
  if (config.secret_env === undefined) return undefined;
  const value = process.env[config.secret_env];
  if (!value) {
    throw new InputError(`environment variable ${config.secret_env} is not set`, {
      key: `${where}.secret_env`,
    });
  }
  return value;
}

/** The webhook channel of `config`; `where` is its key path (alerts.channels.0) for errors. */
export function webhookChannel(config: WebhookConfig, where: string): Channel {
  const secret = channelSecret(config, where)!;
  return {
    name: config.name,
    kind: 'webhook',
    async send(message: OutboxMessage, now: number) {
      const body = JSON.stringify({ id: message.id, ...message.event });
      const timestamp = Math.floor(now / 1000);
      await postJson(
        config.url,
        body,
        {
          'User-Agent': 'churnwatch-webhook/1',
          [WEBHOOK_HEADERS.id]: message.id,
          'Idempotency-Key': message.id,
          [WEBHOOK_HEADERS.timestamp]: String(timestamp),
          [WEBHOOK_HEADERS.signature]: webhookSignature(secret, timestamp, body),
          [WEBHOOK_HEADERS.attempt]: String(message.attempts + 1),
        },
        config.timeout_ms,
      );
    },
  };
}
