// A histogram worker thread: waits on a shared control word, adds its share of a node's rows into its own
// partial histogram with the same kernel as the main thread, and signals completion. See pool.ts.

import { workerData } from 'node:worker_threads';
import { accumulateRowMajor, type KernelBuffers } from './histogram-kernel.js';
import { awaitChange, CONTROL, EXIT } from './pool.js';

const { control, buffers, partial } = workerData as {
  control: Int32Array;
  buffers: KernelBuffers;
  partial: Float64Array;
};

Atomics.store(control, CONTROL.ready, 1);
Atomics.notify(control, CONTROL.ready);
let seen = 0;
for (;;) {
  seen = awaitChange(control, CONTROL.posted, seen);
  if (control[CONTROL.command] === EXIT) break;
  partial.fill(0);
  accumulateRowMajor(partial, buffers, control[CONTROL.begin], control[CONTROL.end], control[CONTROL.k]);
  Atomics.store(control, CONTROL.done, seen);
  Atomics.notify(control, CONTROL.done);
}
