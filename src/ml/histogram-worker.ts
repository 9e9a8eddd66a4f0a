// The grower's worker thread: waits on a shared control word, then adds its half of a node's rows into the
// partial histogram, searches its half of the features for the best split, or partitions its half of a
// node's rows — with the same code as the main thread — and signals completion. See pool.ts.

import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import { accumulateRows, PACKED_SCRATCH_BINS, partitionRows } from './histogram-kernel.js';
import {
  ACCUMULATE,
  awaitChange,
  CONTROL,
  EXIT,
  PARTITION,
  searchFeatures,
  type WorkerInit,
  writeSplit,
} from './pool.js';
import { SplitInfo, type SplitParams, SplitScratch } from './split-finder.js';

const init = workerData as WorkerInit;
const { control, buffers, partial, context, totals, result, mask, port } = init;
const histograms: Float64Array[] = [];
const split = new SplitInfo();
const scratch = new SplitScratch();
const packedScratch = new Float64Array(PACKED_SCRATCH_BINS * buffers.nFeatures);

Atomics.store(control, CONTROL.ready, 1);
Atomics.notify(control, CONTROL.ready);
let seen = 0;
for (;;) {
  seen = awaitChange(control, CONTROL.posted, seen);
  const command = control[CONTROL.command];
  if (command === EXIT) break;
  if (command === ACCUMULATE) {
    partial.fill(0);
    accumulateRows(
      partial,
      packedScratch,
      buffers,
      control[CONTROL.begin],
      control[CONTROL.end],
      control[CONTROL.k],
      control[CONTROL.quantized] === 1,
    );
  } else if (command === PARTITION) {
    const { rows, scratch, columnBins, nRows } = buffers;
    const feature = control[CONTROL.k];
    const column = columnBins.subarray(feature * nRows, (feature + 1) * nRows);
    const scratchAt = control[CONTROL.count];
    control[CONTROL.count] = partitionRows(
      rows,
      scratch,
      column,
      mask,
      control[CONTROL.begin],
      control[CONTROL.end],
      scratchAt,
    );
  } else {
    // Histograms and parameters sent since the last task arrive on the port; take them without the event loop.
    for (let message = receiveMessageOnPort(port); message; message = receiveMessageOnPort(port)) {
      const update = message.message as { id: number; histogram: Float64Array } | { params: SplitParams };
      if ('params' in update) context.params = update.params;
      else histograms[update.id] = update.histogram;
    }
    split.reset();
    const nodeTotals = { grad: totals[0], hess: totals[1], count: totals[2] };
    const histogram = histograms[control[CONTROL.begin]];
    searchFeatures(histogram, context, control[CONTROL.end], control[CONTROL.k], nodeTotals, scratch, split);
    writeSplit(split, result, mask);
  }
  Atomics.store(control, CONTROL.done, seen);
  Atomics.notify(control, CONTROL.done);
}
port.close();
