// WeCom (企业微信) group robot: a markdown message POSTed to the robot's webhook URL (which carries its key);
// the robot answers {"errcode":0,"errmsg":"ok"} when it accepts.

import { messageText } from '../message-text.js';
import type { OutboxMessage } from '../outbox.js';
import type { Channel } from './channel.js';
import { postToRobot, type RobotConfig, robotLanguage } from './robot.js';

/** The WeCom robot payload of a message. */
export function wecomPayload(message: OutboxMessage, language: 'en' | 'zh-CN') {
  return { msgtype: 'markdown', markdown: { content: messageText(message.event, language) } };
}

/** The WeCom channel of `config`. */
export function wecomChannel(config: Extract<RobotConfig, { kind: 'wecom' }>): Channel {
  const language = robotLanguage(config);
  return {
    name: config.name,
    kind: 'wecom',
    send: (message) => postToRobot(config.url, wecomPayload(message, language), config.timeout_ms, 'errcode'),
  };
}
