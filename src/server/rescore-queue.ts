// Re-scoring after batch appends (R1: an event is in the customer's score within 5 s). An append answers as
// soon as its rows are stored and hands the customers it touched to this queue; one re-score runs at a time
// (the warehouse has one writer) and the customers of the batches that arrive meanwhile wait and are merged,
// so a burst of small batches costs a few re-scores, not one each.

import { scoreCustomers } from '../scoring/score-customers.js';
import { championEntry } from '../training/model-registry.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { workspaceConfig } from './workspace-config.js';

/** Most customers in one re-score; the rest wait for the next round. */
const MAX_CUSTOMERS_PER_RUN = 5000;

/** What one round did, for logs and tests. */
export interface RescoreRound {
  customers: number;
  scored: number;
  milliseconds: number;
  error: string | null;
}

/** Merges waiting customers and re-scores them one round at a time. */
export class RescoreQueue {
  private readonly waiting = new Set<string>();
  private running: Promise<void> | null = null;
  /** The latest rounds, newest last (a few kept). */
  readonly rounds: RescoreRound[] = [];

  constructor(private readonly score: (customerIds: string[]) => Promise<number>) {}

  /** Queues customers for re-scoring; returns at once. */
  add(customerIds: readonly string[]): void {
    for (const id of customerIds) this.waiting.add(id);
    if (this.waiting.size > 0 && !this.running) this.running = this.drain();
  }

  /** Customers waiting for the next round. */
  get pending(): number {
    return this.waiting.size;
  }

  /** Resolves once nothing is waiting or running. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    try {
      while (this.waiting.size > 0) {
        const ids = [...this.waiting].slice(0, MAX_CUSTOMERS_PER_RUN);
        for (const id of ids) this.waiting.delete(id);
        const started = performance.now();
        let scored = 0;
        let error: string | null = null;
        try {
          scored = await this.score(ids);
        } catch (failure) {
          // A failed round (no champion yet, a closed warehouse) loses nothing stored: the next full
          // scoring run covers these customers.
          error = failure instanceof Error ? failure.message : String(failure);
        }
        this.rounds.push({ customers: ids.length, scored, milliseconds: performance.now() - started, error });
        if (this.rounds.length > 20) this.rounds.shift();
      }
    } finally {
      this.running = null;
    }
  }
}

const queues = new WeakMap<Warehouse, RescoreQueue>();

/** The queue of a server's warehouse, re-scoring with the workspace's champion. */
export function rescoreQueueFor(warehouse: Warehouse, workspace: string): RescoreQueue {
  let queue = queues.get(warehouse);
  if (!queue) {
    queue = new RescoreQueue(async (customerIds) => {
      if (!(await championEntry(warehouse))) return 0;
      const config = workspaceConfig(workspace);
      const result = await scoreCustomers(warehouse, { workspace, config, customerIds });
      return result.scores.length;
    });
    queues.set(warehouse, queue);
  }
  return queue;
}
