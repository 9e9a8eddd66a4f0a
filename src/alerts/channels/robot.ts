// What the team-chat robots (WeCom, DingTalk, Feishu/Lark, Slack) share: a message text in the channel's
// language, a POST of the provider's JSON, and the provider's "accepted" check (HTTP 200 is not enough for
// the Chinese robots: they answer 200 with a non-zero error code when they refuse a message).

import type { AlertChannelConfig } from '../alerts-config.js';
import { ChannelError, postJson, safeUrl } from './channel.js';

export type RobotConfig = Extract<AlertChannelConfig, { kind: 'wecom' | 'dingtalk' | 'feishu' | 'slack' }>;

/** The language a robot writes in: as configured, else Slack English and the others Chinese. */
export function robotLanguage(config: RobotConfig): 'en' | 'zh-CN' {
  return config.language ?? (config.kind === 'slack' ? 'en' : 'zh-CN');
}

/**
 * POSTs `payload` to `url`; the answer must be JSON whose `codeField` is 0 (`errcode` for WeCom and
 * DingTalk, `code` for Feishu) or, without `codeField`, any 2xx.
 */
export async function postToRobot(
  url: string,
  payload: unknown,
  timeoutMs: number,
  codeField?: 'errcode' | 'code',
): Promise<void> {
  const { text } = await postJson(url, JSON.stringify(payload), {}, timeoutMs);
  if (codeField === undefined) return;
  let answer: Record<string, unknown>;
  try {
    answer = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new ChannelError(`POST ${safeUrl(url)}: the answer is not JSON: ${text.slice(0, 200)}`);
  }
  const code = answer[codeField] ?? answer.StatusCode;
  if (code !== 0) {
    const message = answer.errmsg ?? answer.msg ?? answer.StatusMessage ?? '';
    throw new ChannelError(
      `POST ${safeUrl(url)}: refused with ${codeField} ${String(code)} ${String(message)}`,
    );
  }
}
