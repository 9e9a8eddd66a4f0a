// Delivering the outbox: one pass queues the daily digests that are due, claims the due messages, sends
// each through its channel and records the outcome; the loop repeats passes every poll interval (and at once
// when woken) until stopped. Stopping waits for the pass in flight, so every claimed message is recorded; a
// crash instead leaves claimed messages to come due again when their lease ends (outbox.ts).

import type { Warehouse } from '../warehouse/warehouse.js';
import type { AlertChannelConfig, DeliveryConfig } from './alerts-config.js';
import { type Channel, ChannelError } from './channels/channel.js';
import { type BackoffPolicy, claimDue, type Failure, markDelivered, markFailed } from './outbox.js';
import { queueDigests } from './queue-digests.js';

export interface DeliveryOptions {
  /**
   * Channels by configured name, or a function asked at every pass (so a changed configuration takes effect
   * without a restart). A message for a channel not here fails (and so ends dead).
   */
  channels: readonly Channel[] | (() => readonly Channel[]);
  /** The configured channels: each pass first queues the daily digests that are due (queue-digests.ts). */
  digests?: { channels: readonly AlertChannelConfig[] } | (() => { channels: readonly AlertChannelConfig[] });
  policy: BackoffPolicy;
  /** Epoch ms; default the wall clock. */
  clock?: () => number;
  random?: () => number;
  /** Messages claimed per pass (default 20); they are sent concurrently. */
  batchSize?: number;
  /** How long a claimed message stays reserved (default: 2 minutes, above any channel timeout). */
  leaseMs?: number;
}

/** What one pass did. */
export interface DeliveryPass {
  delivered: number;
  retried: number;
  dead: number;
}

/** The retry schedule of the configuration's `alerts.delivery`. */
export function backoffPolicy(delivery: DeliveryConfig): BackoffPolicy {
  return {
    maxAttempts: delivery.max_attempts,
    baseDelayMs: delivery.base_delay_seconds * 1000,
    maxDelayMs: delivery.max_delay_seconds * 1000,
  };
}

/** Sends the messages due now, once each; returns the counts. */
export async function deliverDue(warehouse: Warehouse, options: DeliveryOptions): Promise<DeliveryPass> {
  const clock = options.clock ?? Date.now;
  const channels = typeof options.channels === 'function' ? options.channels() : options.channels;
  const byName = new Map(channels.map((channel) => [channel.name, channel]));
  const digests = typeof options.digests === 'function' ? options.digests() : options.digests;
  if (digests) await queueDigests(warehouse, digests, clock());
  const claimed = await claimDue(warehouse, clock(), options.batchSize ?? 20, options.leaseMs ?? 120_000);
  const pass: DeliveryPass = { delivered: 0, retried: 0, dead: 0 };
  await Promise.all(
    claimed.map(async (message) => {
      const channel = byName.get(message.channel);
      let failure: Failure | null = null;
      try {
        if (!channel) throw new Error(`no channel "${message.channel}" is configured (alerts.channels)`);
        await channel.send(message, clock());
      } catch (error) {
        failure = {
          error: error instanceof Error ? error.message : String(error),
          permanent: error instanceof ChannelError && error.permanent,
        };
      }
      if (failure === null) {
        await markDelivered(warehouse, message.id, clock());
        pass.delivered++;
      } else {
        const status = await markFailed(warehouse, message, failure, clock(), options.policy, options.random);
        if (status === 'dead') pass.dead++;
        else pass.retried++;
      }
    }),
  );
  return pass;
}

/** A running delivery loop. */
export interface DeliveryLoop {
  /** Runs a pass soon (e.g. after alerts were written) instead of at the next poll. */
  wake(): void;
  /** Stops polling and resolves once the pass in flight has recorded its outcomes. */
  stop(): Promise<void>;
  /** Resolves after the next pass completes (tests). */
  nextPass(): Promise<DeliveryPass>;
}

/** Starts delivering every `pollMs`; errors of a pass (a closed warehouse …) go to `onError` and polling goes on. */
export function startDeliveryLoop(
  warehouse: Warehouse,
  options: DeliveryOptions & { pollMs: number; onError?: (error: unknown) => void },
): DeliveryLoop {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let waiters: ((pass: DeliveryPass) => void)[] = [];
  let again = false;

  const schedule = (delay: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(run, delay);
    timer.unref?.();
  };
  const run = () => {
    timer = null;
    if (stopped) return;
    if (running) {
      again = true; // woken during a pass: another one right after it
      return;
    }
    running = (async () => {
      let pass: DeliveryPass = { delivered: 0, retried: 0, dead: 0 };
      try {
        pass = await deliverDue(warehouse, options);
      } catch (error) {
        options.onError?.(error);
      }
      const notify = waiters;
      waiters = [];
      for (const resolve of notify) resolve(pass);
      running = null;
      // Woken meanwhile, or a full batch (more may be due): go on at once.
      const full = pass.delivered + pass.retried + pass.dead >= (options.batchSize ?? 20);
      schedule(again || full ? 0 : options.pollMs);
      again = false;
    })();
  };
  schedule(0);
  return {
    wake: () => schedule(0),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
    nextPass: () => new Promise((resolve) => waiters.push(resolve)),
  };
}
