// One helper thread for tree growing, sharing the binned rows, gradients and histograms through
// SharedArrayBuffer and synchronised with Atomics on a control array — no message per node. It takes the
// second half of a big node's rows when a histogram is built, and the second half of the features when a
// node's best split is searched. Both halves run the same code on either thread and are combined in a
// fixed order, so the trees are the same bit for bit with one thread or two.

import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import type { HistogramLayout } from './histogram.js';
import {
  accumulateRows,
  type KernelBuffers,
  PACKED_SCRATCH_BINS,
  partitionRows,
} from './histogram-kernel.js';
import {
  findCategoricalSplit,
  findNumericSplit,
  type NodeTotals,
  type SplitInfo,
  type SplitParams,
  type SplitScratch,
} from './split-finder.js';
import { startModuleWorker } from './start-worker.js';

/** Slots of the control array shared with the worker. */
export const CONTROL = {
  posted: 0,
  done: 1,
  ready: 2,
  command: 3,
  begin: 4,
  end: 5,
  k: 6,
  count: 7,
  /** 1 when an accumulation's gradients are quantised. */
  quantized: 8,
} as const;
export const ACCUMULATE = 1;
export const EXIT = 2;
export const SPLIT = 3;
export const PARTITION = 4;

/** Slots of the split result written by the worker. */
export const RESULT = {
  feature: 0,
  gain: 1,
  categorical: 2,
  thresholdBin: 3,
  missingLeft: 4,
  leftGrad: 5,
  leftHess: 6,
  leftCount: 7,
  rightGrad: 8,
  rightHess: 9,
  rightCount: 10,
} as const;

/** What the split search needs besides the histogram; fixed for a grower. */
export interface SplitContext {
  layout: HistogramLayout;
  categorical: Uint8Array;
  params: SplitParams;
}

/** Nodes with fewer rows are handled whole: handing half to the helper would cost more than it saves. */
export const HALVE_MIN_ROWS = 2048;

/** Polls before sleeping: waking a sleeping thread costs tens of microseconds, a node's half often less. */
const SPIN_POLLS = 20_000;

/** How long to wait for a worker to start before doing everything on the main thread. */
const START_TIMEOUT_MS = 10_000;

/** Returns `control[slot]` once it differs from `seen`: polls a while, then sleeps on the futex. */
export function awaitChange(control: Int32Array, slot: number, seen: number): number {
  for (let i = 0; i < SPIN_POLLS; i++) {
    const value = Atomics.load(control, slot);
    if (value !== seen) return value;
  }
  Atomics.wait(control, slot, seen);
  return Atomics.load(control, slot);
}

/** Searches features [first, last) of a node's histogram, updating `best` (shared by both threads). */
export function searchFeatures(
  histogram: Float64Array,
  context: SplitContext,
  first: number,
  last: number,
  totals: NodeTotals,
  scratch: SplitScratch,
  best: SplitInfo,
): void {
  const { layout, categorical, params } = context;
  for (let f = first; f < last; f++) {
    if (categorical[f]) findCategoricalSplit(histogram, layout, f, totals, params, scratch, best);
    else findNumericSplit(histogram, layout, f, totals, params, best);
  }
}

/** Writes a split into the shared result slots and mask. */
export function writeSplit(split: SplitInfo, result: Float64Array, mask: Uint8Array): void {
  result[RESULT.feature] = split.feature;
  result[RESULT.gain] = split.gain;
  result[RESULT.categorical] = split.categorical ? 1 : 0;
  result[RESULT.thresholdBin] = split.thresholdBin;
  result[RESULT.missingLeft] = split.missingLeft ? 1 : 0;
  result[RESULT.leftGrad] = split.leftGrad;
  result[RESULT.leftHess] = split.leftHess;
  result[RESULT.leftCount] = split.leftCount;
  result[RESULT.rightGrad] = split.rightGrad;
  result[RESULT.rightHess] = split.rightHess;
  result[RESULT.rightCount] = split.rightCount;
  if (split.feature >= 0) mask.set(split.leftMask);
}

function readSplit(result: Float64Array, mask: Uint8Array, split: SplitInfo): void {
  split.feature = result[RESULT.feature];
  split.gain = result[RESULT.gain];
  split.categorical = result[RESULT.categorical] === 1;
  split.thresholdBin = result[RESULT.thresholdBin];
  split.missingLeft = result[RESULT.missingLeft] === 1;
  split.leftGrad = result[RESULT.leftGrad];
  split.leftHess = result[RESULT.leftHess];
  split.leftCount = result[RESULT.leftCount];
  split.rightGrad = result[RESULT.rightGrad];
  split.rightHess = result[RESULT.rightHess];
  split.rightCount = result[RESULT.rightCount];
  split.leftMask.set(mask);
}

/** Everything handed to the worker at start. */
export interface WorkerInit {
  control: Int32Array;
  buffers: KernelBuffers;
  partial: Float64Array;
  context: SplitContext;
  /** Node totals of a split task: grad, hess, count. */
  totals: Float64Array;
  result: Float64Array;
  mask: Uint8Array;
  /**
   * Histograms are announced here (id, buffer) before their first split task, and split parameters
   * (`{ params }`) when they change.
   */
  port: MessagePort;
}

/**
 * The helper: with a worker, `start…` hands the second half over and `finish…` waits for it; without one
 * (one thread, or a worker that would not start) the main thread computes the same half itself.
 */
export class GrowerHelper {
  /** The partial histogram of the second half of the rows (shared with the worker). */
  readonly partial: Float64Array;
  private readonly buffers: KernelBuffers;
  private readonly context: SplitContext;
  private worker: Worker | null = null;
  private readonly control = new Int32Array(new SharedArrayBuffer(16 * 4));
  /** The packed kernel's scratch when the main thread computes the second half itself. */
  private readonly packedScratch: Float64Array;
  private readonly totals = new Float64Array(new SharedArrayBuffer(3 * 8));
  private readonly result = new Float64Array(new SharedArrayBuffer(11 * 8));
  private readonly mask = new Uint8Array(new SharedArrayBuffer(256));
  private readonly histogramIds = new Map<Float64Array, number>();
  private port: MessagePort | null = null;
  private posted = 0;

  constructor(buffers: KernelBuffers, context: SplitContext, histogramSize: number, threads: number) {
    this.buffers = buffers;
    this.context = context;
    this.partial = new Float64Array(new SharedArrayBuffer(histogramSize * 8));
    this.packedScratch = new Float64Array(PACKED_SCRATCH_BINS * buffers.nFeatures);
    if (threads > 1) this.worker = this.startWorker();
  }

  /** True when a worker thread takes the second halves. */
  get threaded(): boolean {
    return this.worker !== null;
  }

  /**
   * Starts the second half of the rows, [begin, end) with ordered-gradient index k, into `partial`
   * (`quantized`: see `accumulateRows`).
   */
  startRows(begin: number, end: number, k: number, quantized = false): void {
    if (!this.worker) {
      this.partial.fill(0);
      accumulateRows(this.partial, this.packedScratch, this.buffers, begin, end, k, quantized);
      return;
    }
    this.control[CONTROL.quantized] = quantized ? 1 : 0;
    this.post(ACCUMULATE, begin, end, k);
  }

  /** Split parameters for the searches that follow (the grower rescales them per tree when quantised). */
  setParams(params: SplitParams): void {
    if (this.context.params === params) return;
    this.context.params = params;
    this.port?.postMessage({ params });
  }

  /** Waits until `partial` holds the second half's sums. */
  finishRows(): void {
    this.wait();
  }

  /**
   * Best split of a node over all features: features [mid, F) on the helper, [0, mid) here into `best`;
   * the helper's wins only with a strictly larger gain, as if the features had been searched in order.
   */
  searchSplit(histogram: Float64Array, totals: NodeTotals, scratch: SplitScratch, best: SplitInfo): void {
    const nFeatures = this.context.layout.nFeatures;
    const mid = nFeatures >> 1;
    if (!this.worker || !(histogram.buffer instanceof SharedArrayBuffer)) {
      searchFeatures(histogram, this.context, 0, nFeatures, totals, scratch, best);
      return;
    }
    let id = this.histogramIds.get(histogram);
    if (id === undefined) {
      id = this.histogramIds.size;
      this.histogramIds.set(histogram, id);
      this.port!.postMessage({ id, histogram });
    }
    this.totals[0] = totals.grad;
    this.totals[1] = totals.hess;
    this.totals[2] = totals.count;
    this.post(SPLIT, id, mid, nFeatures);
    searchFeatures(histogram, this.context, 0, mid, totals, scratch, best);
    this.wait();
    if (this.result[RESULT.feature] >= 0 && this.result[RESULT.gain] > best.gain) {
      readSplit(this.result, this.mask, best);
    }
  }

  /**
   * Stable partition of a node's rows by `mask` on `feature`, both halves at once: each half puts its left
   * rows in place and its right rows in the scratch buffer, then the pieces are joined in order
   *
   *   rows[begin ... mid ... end)  →  [L1 | L2 | R1 | R2]
   *
   * exactly as one pass over the whole range would leave them. Returns where the right rows start.
   */
  partition(mask: Uint8Array, feature: number, begin: number, end: number): number {
    const { rows, scratch, columnBins, nRows } = this.buffers;
    const column = columnBins.subarray(feature * nRows, (feature + 1) * nRows);
    const mid = begin + ((end - begin) >> 1);
    if (!this.worker) {
      const leftFirst = partitionRows(rows, scratch, column, mask, begin, mid, 0);
      const leftSecond = partitionRows(rows, scratch, column, mask, mid, end, mid - begin);
      return this.join(begin, mid, end, leftFirst, leftSecond);
    }
    this.mask.set(mask);
    // The second half's right rows go to the scratch after the room the first half may need.
    this.control[CONTROL.count] = mid - begin;
    this.post(PARTITION, mid, end, feature);
    const leftFirst = partitionRows(rows, scratch, column, mask, begin, mid, 0);
    this.wait();
    return this.join(begin, mid, end, leftFirst, this.control[CONTROL.count]);
  }

  private join(begin: number, mid: number, end: number, leftFirst: number, leftSecond: number): number {
    const { rows, scratch } = this.buffers;
    const rightFirst = mid - begin - leftFirst;
    const rightSecond = end - mid - leftSecond;
    rows.copyWithin(begin + leftFirst, mid, mid + leftSecond);
    const split = begin + leftFirst + leftSecond;
    rows.set(scratch.subarray(0, rightFirst), split);
    rows.set(scratch.subarray(mid - begin, mid - begin + rightSecond), split + rightFirst);
    return split;
  }

  /** Stops the worker; the helper keeps working on the main thread. */
  close(): void {
    if (!this.worker) return;
    this.post(EXIT, 0, 0, 0);
    this.worker.unref();
    this.port?.close();
    this.worker = null;
  }

  private post(command: number, begin: number, end: number, k: number): void {
    const control = this.control;
    control[CONTROL.command] = command;
    control[CONTROL.begin] = begin;
    control[CONTROL.end] = end;
    control[CONTROL.k] = k;
    this.posted++;
    Atomics.store(control, CONTROL.posted, this.posted);
    Atomics.notify(control, CONTROL.posted);
  }

  private wait(): void {
    if (!this.worker) return;
    let done = Atomics.load(this.control, CONTROL.done);
    while (done !== this.posted) done = awaitChange(this.control, CONTROL.done, done);
  }

  private startWorker(): Worker | null {
    const channel = new MessageChannel();
    const init: WorkerInit = {
      control: this.control,
      buffers: this.buffers,
      partial: this.partial,
      context: this.context,
      totals: this.totals,
      result: this.result,
      mask: this.mask,
      port: channel.port2,
    };
    const worker = startModuleWorker('histogram-worker', import.meta.url, {
      workerData: init,
      transferList: [channel.port2],
    });
    worker.unref();
    if (Atomics.wait(this.control, CONTROL.ready, 0, START_TIMEOUT_MS) === 'timed-out') {
      void worker.terminate();
      channel.port1.close();
      return null;
    }
    this.port = channel.port1;
    return worker;
  }
}
