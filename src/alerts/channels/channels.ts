// The channel kinds and how each is built from its configuration: a typed map, so a new kind in
// alerts-config.ts does not compile until it is registered here.

import type { ActionWebhookConfig } from '../../retention/retention-config.js';
import type { AlertChannelConfig, AlertsConfig, ChannelKind } from '../alerts-config.js';
import type { Channel } from './channel.js';
import { dingtalkChannel } from './dingtalk.js';
import { emailChannel } from './email.js';
import { feishuChannel } from './feishu.js';
import { slackChannel } from './slack.js';
import { smsChannel } from './sms.js';
import { webhookChannel } from './webhook.js';
import { wecomChannel } from './wecom.js';

type Factory<K extends ChannelKind> = (
  config: Extract<AlertChannelConfig, { kind: K }>,
  where: string,
) => Channel;

const factories: { [K in ChannelKind]: Factory<K> } = {
  webhook: webhookChannel,
  wecom: wecomChannel,
  dingtalk: dingtalkChannel,
  feishu: feishuChannel,
  slack: slackChannel,
  email: emailChannel,
  sms: smsChannel,
};

/** One channel per configured entry; InputError naming the key when a secret's variable is unset. */
export function channelsFromConfig(alerts: AlertsConfig): Channel[] {
  return alerts.channels.map((config, index) => {
    const factory = factories[config.kind] as Factory<ChannelKind>;
    return factory(config as never, `alerts.channels.${index}`);
  });
}

/** The webhooks campaigns send their actions to (retention.action_webhooks), as webhook channels. */
export function actionWebhookChannels(hooks: readonly ActionWebhookConfig[]): Channel[] {
  return hooks.map(({ name, url, secret, secret_env, timeout_ms }, index) =>
    webhookChannel(
      { kind: 'webhook', name, url, secret, secret_env, timeout_ms },
      `retention.action_webhooks.${index}`,
    ),
  );
}
