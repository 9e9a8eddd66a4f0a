// What a delivery channel is: something that sends one outbox message and throws when it was not accepted.
// Implementations sit beside this file and are registered in channels.ts.

import type { OutboxMessage } from '../outbox.js';

/** Sends one message; resolves when the receiver accepted it, throws (a ChannelError) otherwise. */
export interface Channel {
  /** The configured channel name (outbox.channel). */
  readonly name: string;
  readonly kind: string;
  send(message: OutboxMessage, now: number): Promise<void>;
}

/**
 * A refused or failed send, with what the receiver answered (kept as outbox.last_error). `permanent`: the
 * receiver refused this message itself (a 4xx such as a bad signature or a malformed request), so sending the
 * same bytes again cannot succeed and the message goes to the dead letters at once.
 */
export class ChannelError extends Error {
  override name = 'ChannelError';
  readonly permanent: boolean;
  constructor(message: string, options: { cause?: unknown; permanent?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.permanent = options.permanent ?? false;
  }
}

/** Answers that reject the message itself: 4xx, except those that mean "later" (408, 425, 429). */
export function isPermanentRefusal(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 425 && status !== 429;
}

/** POSTs `body` as JSON to `url` with `headers`, within `timeoutMs`; returns the answer's text. */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<{ status: number; text: string }> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
      body,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
  } catch (error) {
    const cause = error instanceof Error ? error : new Error(String(error));
    const why = cause.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : describeCause(cause);
    throw new ChannelError(`POST ${safeUrl(url)}: ${why}`, { cause });
  }
  const text = await response.text().catch(() => '');
  if (response.status < 200 || response.status >= 300) {
    throw new ChannelError(`POST ${safeUrl(url)}: HTTP ${response.status} ${text.slice(0, 200)}`.trim(), {
      permanent: isPermanentRefusal(response.status),
    });
  }
  return { status: response.status, text };
}

/** A URL for error messages: robot URLs carry their key in the query, which must not end up in logs. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

function describeCause(error: Error): string {
  const inner = (error as Error & { cause?: unknown }).cause;
  if (inner instanceof Error) return `${error.message} (${inner.message})`;
  return error.message;
}
