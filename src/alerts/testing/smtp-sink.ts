// For tests: a real SMTP server (smtp-server) on 127.0.0.1 that keeps every mail it receives, and a small
// MIME reader for the mails nodemailer writes (encoded-word subjects, base64 / quoted-printable parts).

import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  user: string | undefined;
  raw: string;
}

export interface SmtpSink {
  port: number;
  mails: ReceivedMail[];
  close(): Promise<void>;
}

/** Starts the server; `refuse` returns an SMTP code (e.g. 550) to reject the n-th mail's data, or null. */
export async function startSmtpSink(
  options: { user?: string; password?: string; refuse?: (index: number) => number | null } = {},
): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  let seen = 0;
  const server = new SMTPServer({
    disabledCommands: options.user === undefined ? ['STARTTLS', 'AUTH'] : ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: options.user === undefined,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === options.user && auth.password === options.password) {
        callback(null, { user: auth.username });
      } else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const code = options.refuse?.(seen++) ?? null;
        if (code !== null) {
          const error = Object.assign(new Error('mailbox unavailable'), { responseCode: code });
          callback(error);
          return;
        }
        const from = session.envelope.mailFrom;
        mails.push({
          from: from ? from.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          user: session.user as string | undefined,
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A header of a raw mail, unfolded, with RFC 2047 encoded words decoded. */
export function mailHeader(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  if (line === undefined) return undefined;
  return line
    .slice(name.length + 1)
    .trim()
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, enc: string, text: string) =>
      enc.toLowerCase() === 'b'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeQuotedPrintable(text.replaceAll('_', ' ')),
    );
}

/** The decoded bodies of a mail's parts of `type` (text/plain, text/html). */
export function mailParts(raw: string, type: string): string[] {
  const parts: string[] = [];
  for (const chunk of raw.split(/\r?\n--[^\r\n]+/)) {
    const split = chunk.search(/\r?\n\r?\n/);
    if (split < 0) continue;
    const head = chunk.slice(0, split).toLowerCase();
    if (!head.includes(`content-type: ${type}`)) continue;
    const body = chunk.slice(split).trim();
    if (head.includes('content-transfer-encoding: base64')) {
      parts.push(Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8'));
    } else if (head.includes('content-transfer-encoding: quoted-printable')) {
      parts.push(decodeQuotedPrintable(body.replace(/=\r?\n/g, '')));
    } else parts.push(body);
  }
  return parts;
}

function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '=' && /^[0-9A-F]{2}$/i.test(text.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(text[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}
