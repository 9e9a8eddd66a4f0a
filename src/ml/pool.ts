// One helper thread for histogram building, sharing the binned rows and gradients through
// SharedArrayBuffer and synchronised with Atomics.wait/notify on a control array — no messages per node.

import { Worker } from 'node:worker_threads';
import { accumulateRowMajor, type KernelBuffers } from './histogram-kernel.js';

/** Slots of the control array shared with the worker. */
export const CONTROL = { posted: 0, done: 1, ready: 2, command: 3, begin: 4, end: 5, k: 6 } as const;
export const ACCUMULATE = 1;
export const EXIT = 2;

/** Polls before sleeping: waking a sleeping thread costs tens of microseconds, a node's half often less. */
const SPIN_POLLS = 20_000;

/** Returns `control[slot]` once it differs from `seen`: polls a while, then sleeps on the futex. */
export function awaitChange(control: Int32Array, slot: number, seen: number): number {
  for (let i = 0; i < SPIN_POLLS; i++) {
    const value = Atomics.load(control, slot);
    if (value !== seen) return value;
  }
  Atomics.wait(control, slot, seen);
  return Atomics.load(control, slot);
}

/** How long to wait for a worker to start before building histograms on the main thread alone. */
const START_TIMEOUT_MS = 10_000;

/**
 * The second half of a node's rows goes to a partial histogram: on the worker when there is one, on the
 * main thread otherwise. Either way the same kernel computes the same partial sums, and the caller adds
 * them in the same order, so the model is identical bit for bit with one thread or two.
 */
export class HistogramHelper {
  /** The partial histogram of the second half (shared with the worker). */
  readonly partial: Float64Array;
  private readonly buffers: KernelBuffers;
  private worker: Worker | null = null;
  private readonly control = new Int32Array(new SharedArrayBuffer(8 * 4));
  private posted = 0;

  constructor(buffers: KernelBuffers, histogramSize: number, threads: number) {
    this.buffers = buffers;
    this.partial = new Float64Array(new SharedArrayBuffer(histogramSize * 8));
    if (threads > 1) this.worker = this.startWorker();
  }

  /** Starts the second half [begin, end) (ordered-gradient index k) on the worker, or computes it now. */
  start(begin: number, end: number, k: number): void {
    if (!this.worker) {
      this.partial.fill(0);
      accumulateRowMajor(this.partial, this.buffers, begin, end, k);
      return;
    }
    const control = this.control;
    control[CONTROL.command] = ACCUMULATE;
    control[CONTROL.begin] = begin;
    control[CONTROL.end] = end;
    control[CONTROL.k] = k;
    this.posted++;
    Atomics.store(control, CONTROL.posted, this.posted);
    Atomics.notify(control, CONTROL.posted);
  }

  /** Waits until the partial histogram of the last `start` is complete. */
  finish(): void {
    if (!this.worker) return;
    let done = Atomics.load(this.control, CONTROL.done);
    while (done !== this.posted) done = awaitChange(this.control, CONTROL.done, done);
  }

  /** Stops the worker; the helper keeps working on the main thread. */
  close(): void {
    if (!this.worker) return;
    this.control[CONTROL.command] = EXIT;
    this.posted++;
    Atomics.store(this.control, CONTROL.posted, this.posted);
    Atomics.notify(this.control, CONTROL.posted);
    this.worker.unref();
    this.worker = null;
  }

  private startWorker(): Worker | null {
    const workerData = { control: this.control, buffers: this.buffers, partial: this.partial };
    // The built package runs the compiled JavaScript; under the test runner the sources are TypeScript,
    // which a worker can load once tsx's loader is registered in it.
    const typescript = import.meta.url.endsWith('.ts');
    const url = new URL(`./histogram-worker.${typescript ? 'ts' : 'js'}`, import.meta.url);
    const worker = typescript
      ? new Worker(
          `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`,
          { eval: true, workerData },
        )
      : new Worker(url, { workerData });
    worker.unref();
    if (Atomics.wait(this.control, CONTROL.ready, 0, START_TIMEOUT_MS) === 'timed-out') {
      void worker.terminate();
      return null;
    }
    return worker;
  }

  /** True when a worker thread builds the second halves. */
  get threaded(): boolean {
    return this.worker !== null;
  }
}
