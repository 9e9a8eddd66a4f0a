// DingTalk (钉钉) group robot: a markdown message. With a signing secret, the URL gets `timestamp` (epoch ms)
// and `sign` = base64(HMAC-SHA256(key = secret, message = timestamp + "\n" + secret)), URL-encoded, as
// DingTalk's custom robot security settings ("加签") require. It answers {"errcode":0,"errmsg":"ok"}.

import { createHmac } from 'node:crypto';
import { messageText, messageTitle } from '../message-text.js';
import type { OutboxMessage } from '../outbox.js';
import type { Channel } from './channel.js';
import { postToRobot, type RobotConfig, robotLanguage } from './robot.js';
import { channelSecret } from './webhook.js';

/** The DingTalk robot payload of a message. */
export function dingtalkPayload(message: OutboxMessage, language: 'en' | 'zh-CN') {
  return {
    msgtype: 'markdown',
    markdown: {
      title: messageTitle(message.event, language),
      text: messageText(message.event, language).replaceAll('\n', '\n\n'),
    },
  };
}

/** `sign` of DingTalk's signed robot URL at `timestampMs`. */
export function dingtalkSign(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
}

/** `url` with timestamp and sign added. */
export function signedDingtalkUrl(url: string, secret: string, timestampMs: number): string {
  const signed = new URL(url);
  signed.searchParams.set('timestamp', String(timestampMs));
  signed.searchParams.set('sign', dingtalkSign(secret, timestampMs));
  return signed.toString();
}

/** The DingTalk channel of `config`; `where` is its key path for errors. */
export function dingtalkChannel(config: Extract<RobotConfig, { kind: 'dingtalk' }>, where: string): Channel {
  const language = robotLanguage(config);
  const secret = channelSecret(config, where);
  return {
    name: config.name,
    kind: 'dingtalk',
    send: (message, now) =>
      postToRobot(
        secret === undefined ? config.url : signedDingtalkUrl(config.url, secret, now),
        dingtalkPayload(message, language),
        config.timeout_ms,
        'errcode',
      ),
  };
}
