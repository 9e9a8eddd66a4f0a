// Slack incoming webhook: a message with `text` (mrkdwn: *bold*). Slack answers 200 "ok" when it accepts.

import { messageText } from '../message-text.js';
import type { OutboxMessage } from '../outbox.js';
import type { Channel } from './channel.js';
import { postToRobot, type RobotConfig, robotLanguage } from './robot.js';

/** The Slack payload of a message. */
export function slackPayload(message: OutboxMessage, language: 'en' | 'zh-CN') {
  return { text: messageText(message.event, language, (t) => `*${t}*`) };
}

/** The Slack channel of `config`. */
export function slackChannel(config: Extract<RobotConfig, { kind: 'slack' }>): Channel {
  const language = robotLanguage(config);
  return {
    name: config.name,
    kind: 'slack',
    send: (message) => postToRobot(config.url, slackPayload(message, language), config.timeout_ms),
  };
}
