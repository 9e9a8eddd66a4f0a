// Feishu / Lark custom bot: a text message. With a signing secret the body carries `timestamp` (epoch
// seconds) and `sign` = base64(HMAC-SHA256(key = timestamp + "\n" + secret, message = empty)), as Feishu's
// "signature verification" setting requires. It answers {"code":0,"msg":"success"}.

import { createHmac } from 'node:crypto';
import { messageText } from '../message-text.js';
import type { OutboxMessage } from '../outbox.js';
import type { Channel } from './channel.js';
import { postToRobot, type RobotConfig, robotLanguage } from './robot.js';
import { channelSecret } from './webhook.js';

/** `sign` of a Feishu bot message at `timestampSeconds`. */
export function feishuSign(secret: string, timestampSeconds: number): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64');
}

/** The Feishu bot payload of a message (signed when `secret` is given). */
export function feishuPayload(
  message: OutboxMessage,
  language: 'en' | 'zh-CN',
  secret: string | undefined,
  now: number,
) {
  const text = { msg_type: 'text', content: { text: messageText(message.event, language, (t) => t) } };
  if (secret === undefined) return text;
  const timestamp = Math.floor(now / 1000);
  return { timestamp: String(timestamp), sign: feishuSign(secret, timestamp), ...text };
}

/** The Feishu / Lark channel of `config`; `where` is its key path for errors. */
export function feishuChannel(config: Extract<RobotConfig, { kind: 'feishu' }>, where: string): Channel {
  const language = robotLanguage(config);
  const secret = channelSecret(config, where);
  return {
    name: config.name,
    kind: 'feishu',
    send: (message, now) =>
      postToRobot(config.url, feishuPayload(message, language, secret, now), config.timeout_ms, 'code'),
  };
}
