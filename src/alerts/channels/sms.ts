// SMS through a provider's HTTP API: a generic adapter configured by URL, method, headers (secrets from
// environment variables), a body template and a success check, since every provider (Aliyun, Tencent Cloud,
// Twilio, a company gateway …) has its own API. One request per recipient (the retention team's phones);
// the text is the alert's headline and reasons in the channel's language, cut to max_length.
//
// Template placeholders, in `url` (URL-encoded) and `body` (escaped for content_type: inside a JSON string,
// form-URL-encoded, or as is): {to} the phone number, {text} the message text, {id} the outbox message id
// (a provider's idempotency key, if it takes one). A failed recipient fails the whole message, which is then
// retried for every recipient: at-least-once, like the other channels.

import { InputError } from '../../errors.js';
import { headline } from '../alert-event.js';
import type { AlertChannelConfig } from '../alerts-config.js';
import { digestTitle } from '../digest-event.js';
import { messageTitle, type OutboxEvent } from '../message-text.js';
import type { OutboxMessage } from '../outbox.js';
import { type Channel, ChannelError, isPermanentRefusal, safeUrl } from './channel.js';

type SmsConfig = Extract<AlertChannelConfig, { kind: 'sms' }>;

/** The SMS text of an event, at most `maxLength` characters (code points), ending in … when cut. */
export function smsText(event: OutboxEvent, language: 'en' | 'zh-CN', maxLength: number): string {
  let text: string;
  if (event.type === 'campaign.actions') {
    text = messageTitle(event, language);
  } else if (event.type === 'alerts.digest') {
    const top = event.digest.top[0];
    text = `${digestTitle(event, language)}${top ? `${language === 'zh-CN' ? '；最高：' : '; top: '}${top.customerId}` : ''}`;
  } else {
    const reasons = language === 'zh-CN' ? event.alert.reasons['zh-CN'] : event.alert.reasons.en;
    text = `${headline(event, language)}${language === 'zh-CN' ? '。' : '. '}${reasons}`;
  }
  const chars = [...text];
  return chars.length <= maxLength
    ? text
    : `${chars
        .slice(0, maxLength - 1)
        .join('')
        .trimEnd()}…`;
}

/** `template` with {to}, {text} and {id} replaced by their `encode`d values. */
export function fillTemplate(
  template: string,
  values: { to: string; text: string; id: string },
  encode: (value: string) => string,
): string {
  return template.replace(/\{(to|text|id)\}/g, (_, key: 'to' | 'text' | 'id') => encode(values[key]));
}

/** The escaping of template values inside a body of `contentType`. */
export function bodyEscape(contentType: string): (value: string) => string {
  const type = contentType.toLowerCase();
  if (type.includes('json')) return (value) => JSON.stringify(value).slice(1, -1);
  if (type.includes('x-www-form-urlencoded')) return (value) => encodeURIComponent(value);
  return (value) => value;
}

/** The value at a dot path (`result.code`) of a parsed JSON answer. */
function at(answer: unknown, path: string): unknown {
  let value = answer;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** The SMS channel of `config`; `where` is its key path for errors (an unset header variable). */
export function smsChannel(config: SmsConfig, where: string): Channel {
  const headers: Record<string, string> = { ...config.headers };
  for (const [header, variable] of Object.entries(config.header_env)) {
    const value = process.env[variable];
    if (!value) {
      throw new InputError(`environment variable ${variable} is not set`, {
        key: `${where}.header_env.${header}`,
      });
    }
    headers[header] = value;
  }
  if (config.body !== undefined) headers['Content-Type'] = config.content_type;
  const encodeBody = bodyEscape(config.content_type);

  const sendOne = async (values: { to: string; text: string; id: string }) => {
    const url = fillTemplate(config.url, values, encodeURIComponent);
    const target = `${config.method} ${safeUrl(url)} (to ${values.to})`;
    let response: Response;
    try {
      response = await fetch(url, {
        method: config.method,
        headers,
        ...(config.body === undefined ? {} : { body: fillTemplate(config.body, values, encodeBody) }),
        signal: AbortSignal.timeout(config.timeout_ms),
        redirect: 'manual',
      });
    } catch (error) {
      const cause = error instanceof Error ? error : new Error(String(error));
      const why = cause.name === 'TimeoutError' ? `no answer within ${config.timeout_ms} ms` : cause.message;
      throw new ChannelError(`${target}: ${why}`, { cause });
    }
    const text = await response.text().catch(() => '');
    if (response.status < 200 || response.status >= 300) {
      throw new ChannelError(`${target}: HTTP ${response.status} ${text.slice(0, 200)}`.trim(), {
        permanent: isPermanentRefusal(response.status),
      });
    }
    if (config.success === undefined) return;
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch {
      throw new ChannelError(`${target}: the answer is not JSON: ${text.slice(0, 200)}`);
    }
    const value = at(answer, config.success.field);
    if (String(value) !== String(config.success.equals)) {
      throw new ChannelError(
        `${where}: refused: ${config.success.field} is ${JSON.stringify(value) ?? 'missing'}, expected ${JSON.stringify(config.success.equals)}: ${text.slice(0, 200)}`,
      );
    }
  };

  return {
    name: config.name,
    kind: 'sms',
    async send(message: OutboxMessage) {
      const text = smsText(message.event, config.language, config.max_length);
      for (const to of config.to) await sendOne({ to, text, id: message.id });
    },
  };
}
