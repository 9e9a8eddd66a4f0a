// The delivery loop as `churnwatch serve` runs it: channels (the alerts' and the campaigns' action webhooks)
// and retry settings from the workspace's churnwatch.yaml, errors to stderr (delivery never stops the
// server). Without a configuration there is nothing to deliver to, and no loop.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_FILE, loadConfig } from '../config/load-config.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { actionWebhookChannels, channelsFromConfig } from './channels/channels.js';
import { backoffPolicy, type DeliveryLoop, startDeliveryLoop } from './deliver.js';

/** Starts delivering the workspace's outbox; null (after saying why on `log`) when it cannot. */
export function startWorkspaceDelivery(
  warehouse: Warehouse,
  workspace: string,
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): DeliveryLoop | null {
  const path = join(workspace, CONFIG_FILE);
  if (!existsSync(path)) return null;
  try {
    const { alerts, retention } = loadConfig(path);
    return startDeliveryLoop(warehouse, {
      channels: [...channelsFromConfig(alerts), ...actionWebhookChannels(retention.action_webhooks)],
      digests: alerts,
      policy: backoffPolicy(alerts.delivery),
      pollMs: alerts.delivery.poll_seconds * 1000,
      onError: (error) =>
        log(`churnwatch serve: alert delivery: ${error instanceof Error ? error.message : String(error)}`),
    });
  } catch (error) {
    log(
      `churnwatch serve: alert delivery not started: ${error instanceof Error ? error.message : String(error)}`,
    );
    return null;
  }
}
