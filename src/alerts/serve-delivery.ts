// The delivery loop as `churnwatch serve` runs it: channels (the alerts' and the campaigns' action webhooks)
// and retry settings from the workspace's churnwatch.yaml, errors to stderr (delivery never stops the
// server). Without a configuration there is nothing to deliver to, and no loop.
//
// The channels follow the file: a pass whose churnwatch.yaml changed since the last one reads it again, so a
// webhook added by hand receives its messages without a restart (rather than failing them into the dead
// letters). An invalid edit is reported once and the previous channels go on. Retry settings and the poll
// interval are read at start.

import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/config-schema.js';
import { CONFIG_FILE, loadConfig } from '../config/load-config.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import type { Channel } from './channels/channel.js';
import { actionWebhookChannels, channelsFromConfig } from './channels/channels.js';
import { backoffPolicy, type DeliveryLoop, startDeliveryLoop } from './deliver.js';

interface Settings {
  /** Modification time and size of the file they were read from. */
  stamp: string;
  alerts: Config['alerts'];
  channels: Channel[];
}

/** Starts delivering the workspace's outbox; null (after saying why on `log`) when it cannot. */
export function startWorkspaceDelivery(
  warehouse: Warehouse,
  workspace: string,
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): DeliveryLoop | null {
  const path = join(workspace, CONFIG_FILE);
  if (!existsSync(path)) return null;
  const read = (stamp: string): Settings => {
    const { alerts, retention } = loadConfig(path);
    const channels = [...channelsFromConfig(alerts), ...actionWebhookChannels(retention.action_webhooks)];
    return { stamp, alerts, channels };
  };
  let settings: Settings;
  try {
    settings = read(stampOf(path));
  } catch (error) {
    log(`churnwatch serve: alert delivery not started: ${messageOf(error)}`);
    return null;
  }
  const current = (): Settings => {
    let stamp: string;
    try {
      stamp = stampOf(path);
    } catch {
      return settings; // removed or being replaced: the settings read last go on
    }
    if (stamp === settings.stamp) return settings;
    try {
      settings = read(stamp);
    } catch (error) {
      log(
        `churnwatch serve: ${CONFIG_FILE} changed but cannot be used, delivering as before: ${messageOf(error)}`,
      );
      settings = { ...settings, stamp };
    }
    return settings;
  };
  return startDeliveryLoop(warehouse, {
    channels: () => current().channels,
    digests: () => current().alerts,
    policy: backoffPolicy(settings.alerts.delivery),
    pollMs: settings.alerts.delivery.poll_seconds * 1000,
    onError: (error) => log(`churnwatch serve: alert delivery: ${messageOf(error)}`),
  });
}

function stampOf(path: string): string {
  const { mtimeMs, size } = statSync(path);
  return `${mtimeMs}:${size}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
