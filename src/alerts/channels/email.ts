// E-mail through SMTP (nodemailer): one mail per message to the configured addresses (the retention team,
// never the customer), subject and body in the channel's language, a plain-text and an HTML part. The
// Message-ID is derived from the outbox message id, so a mail sent twice (at-least-once) threads as one.
// A refusal (e.g. 550) or no answer within timeout_ms is a failed attempt, retried like any other channel.

import { createTransport } from 'nodemailer';
import { InputError } from '../../errors.js';
import type { AlertChannelConfig } from '../alerts-config.js';
import { messageText, messageTitle } from '../message-text.js';
import type { OutboxMessage } from '../outbox.js';
import { type Channel, ChannelError } from './channel.js';

type EmailConfig = Extract<AlertChannelConfig, { kind: 'email' }>;

/** Subject, text and HTML of a message. */
export function emailContent(
  message: OutboxMessage,
  language: 'en' | 'zh-CN',
): { subject: string; text: string; html: string } {
  const lines = messageText(message.event, language, (t) => t).split('\n');
  const [first = '', ...rest] = lines;
  const html = [
    '<!doctype html><html><body style="font-family: sans-serif">',
    `<h3>${escapeHtml(first)}</h3>`,
    ...rest.map((line) => `<p style="margin: 0.2em 0">${escapeHtml(line)}</p>`),
    '</body></html>',
  ].join('\n');
  return { subject: messageTitle(message.event, language), text: lines.join('\n'), html };
}

/** The e-mail channel of `config`; `where` is its key path for errors (an unset password variable). */
export function emailChannel(config: EmailConfig, where: string): Channel {
  let pass: string | undefined;
  if (config.password_env !== undefined) {
    pass = process.env[config.password_env];
    if (!pass) {
      throw new InputError(`environment variable ${config.password_env} is not set`, {
        key: `${where}.password_env`,
      });
    }
  }
  const transport = createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    requireTLS: !config.secure && config.starttls === 'required',
    ignoreTLS: !config.secure && config.starttls === 'off',
    ...(config.username === undefined ? {} : { auth: { user: config.username, pass: pass ?? '' } }),
    connectionTimeout: config.timeout_ms,
    greetingTimeout: config.timeout_ms,
    socketTimeout: config.timeout_ms,
  });
  const server = `SMTP ${config.host}:${config.port}`;
  return {
    name: config.name,
    kind: 'email',
    async send(message: OutboxMessage) {
      const content = emailContent(message, config.language);
      try {
        await transport.sendMail({
          from: config.from,
          to: config.to,
          messageId: `<${message.id.replaceAll(/[^A-Za-z0-9.:_-]/g, '_')}@churnwatch>`,
          headers: { 'X-Churnwatch-Id': message.id },
          ...content,
        });
      } catch (error) {
        const cause = error instanceof Error ? error : new Error(String(error));
        throw new ChannelError(`${server}: ${cause.message}`, { cause });
      }
    },
  };
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}
