// Scoring on several threads: the rows are cut into chunks that the calling thread and helper workers claim
// from a shared counter. Each row is scored whole by one thread, so the output does not depend on the threads.

import type { Worker } from 'node:worker_threads';
import { type CompiledEnsemble, codeBuffer, scoreRows } from './predictor.js';
import { startModuleWorker } from './start-worker.js';

/**
 * Batches of at least this many tree walks (rows × trees: about 5 ms on one thread) are shared with helper
 * threads; for less, handing rows over costs about what it saves. 200 trees: from 5,000 rows.
 */
const PARALLEL_MIN_WALKS = 1_000_000;
/** Rows per claimed chunk: large enough that claiming costs nothing, small enough that threads end together. */
const CHUNK_ROWS = 1024;
/** A helper that has not finished a chunk it claimed after this long is presumed dead; its chunks are redone. */
const STALL_MS = 30_000;

/** True when scoring `nRows` rows with `model` is worth sharing with helper threads. */
export function worthSharing(model: CompiledEnsemble, nRows: number): boolean {
  return nRows * model.nTrees >= PARALLEL_MIN_WALKS && nRows >= 2 * CHUNK_ROWS;
}

/** Slots of a job's control array. */
export const JOB = { nextChunk: 0, failed: 1 } as const;

/** What a helper is sent per batch; every array is on SharedArrayBuffer, so nothing is copied. */
export interface ScoreJob {
  model: CompiledEnsemble;
  /** Shared copies of the columns the model reads (empty arrays for the others). */
  columns: Float64Array[];
  nRows: number;
  chunkRows: number;
  control: Int32Array;
  /** 1 once a helper has written the chunk's rows into `out`. */
  done: Int32Array;
  out: Float64Array;
}

/** A started helper; `ready[0]` turns 1 once it listens. */
interface Helper {
  worker: Worker;
  ready: Int32Array;
}

/** Helpers live as long as the process (unreferenced, so they never keep it alive) and serve every batch. */
const helpers: Helper[] = [];

/** Starts helpers until there are `count`; they join batches once ready, so this never waits. */
function ensureHelpers(count: number): void {
  while (helpers.length < count) {
    const ready = new Int32Array(new SharedArrayBuffer(4));
    const worker = startModuleWorker('predict-worker', import.meta.url, { workerData: { ready } });
    worker.unref();
    const helper = { worker, ready };
    // A helper that fails to start or dies is dropped; a batch it had claimed chunks of redoes them.
    const drop = () => {
      const at = helpers.indexOf(helper);
      if (at >= 0) helpers.splice(at, 1);
    };
    worker.on('error', drop);
    worker.on('exit', drop);
    helpers.push(helper);
  }
}

/** Resolves once `count` helpers listen (tests use it to be sure the helpers take part). */
export async function helpersReady(count: number, timeoutMs = 60_000): Promise<boolean> {
  ensureHelpers(count);
  const until = Date.now() + timeoutMs;
  while (helpers.slice(0, count).some((helper) => Atomics.load(helper.ready, 0) !== 1)) {
    if (Date.now() > until || helpers.length < count) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

/**
 * Adds each row's leaf values into out[0..nRows) like `scoreRows`, with `threads − 1` helpers. Returns the
 * number of rows the helpers scored.
 */
export function scoreParallel(
  model: CompiledEnsemble,
  columns: Float64Array[],
  nRows: number,
  threads: number,
  out: Float64Array,
): number {
  ensureHelpers(threads - 1);
  const nChunks = Math.ceil(nRows / CHUNK_ROWS);
  const job: ScoreJob = {
    model,
    columns: columns.map((column, f) =>
      model.usedFeatures[f] ? sharedCopy(column, nRows) : new Float64Array(0),
    ),
    nRows,
    chunkRows: CHUNK_ROWS,
    control: new Int32Array(new SharedArrayBuffer(4 * 2)),
    done: new Int32Array(new SharedArrayBuffer(4 * nChunks)),
    out: new Float64Array(new SharedArrayBuffer(8 * nRows)),
  };
  for (const helper of helpers.slice(0, threads - 1)) helper.worker.postMessage(job);

  const codes = codeBuffer(model);
  const mine = new Uint8Array(nChunks);
  const score = (chunk: number) => {
    const begin = chunk * CHUNK_ROWS;
    scoreRows(model, columns, begin, Math.min(nRows, begin + CHUNK_ROWS), out, codes);
  };
  for (let chunk = Atomics.add(job.control, JOB.nextChunk, 1); chunk < nChunks; ) {
    mine[chunk] = 1;
    score(chunk);
    chunk = Atomics.add(job.control, JOB.nextChunk, 1);
  }
  // The other chunks were claimed by helpers: take their rows when done, redo them if a helper failed.
  let helperRows = 0;
  for (let chunk = 0; chunk < nChunks; chunk++) {
    if (mine[chunk]) continue;
    const begin = chunk * CHUNK_ROWS;
    const end = Math.min(nRows, begin + CHUNK_ROWS);
    if (awaitChunk(job, chunk)) {
      out.set(job.out.subarray(begin, end), begin);
      helperRows += end - begin;
    } else {
      score(chunk);
    }
  }
  return helperRows;
}

/** True once a helper has finished `chunk`; false if the helpers failed or stalled. */
function awaitChunk(job: ScoreJob, chunk: number): boolean {
  const until = Date.now() + STALL_MS;
  while (Atomics.load(job.done, chunk) !== 1) {
    if (Atomics.load(job.control, JOB.failed) === 1) return false;
    const left = until - Date.now();
    if (left <= 0) return false;
    Atomics.wait(job.done, chunk, 0, Math.min(left, 100));
  }
  return true;
}

/** `column[0..nRows)` on a SharedArrayBuffer (itself when it already is one). */
function sharedCopy(column: Float64Array, nRows: number): Float64Array {
  if (column.buffer instanceof SharedArrayBuffer) return column;
  const copy = new Float64Array(new SharedArrayBuffer(8 * nRows));
  copy.set(column.subarray(0, nRows));
  return copy;
}

/** The helper's side: claims chunks of `job` until none are left (see predict-worker.ts). */
export function helpWithJob(job: ScoreJob): void {
  const { model, columns, nRows, chunkRows, control, done, out } = job;
  const nChunks = done.length;
  try {
    const codes = codeBuffer(model);
    for (let chunk = Atomics.add(control, JOB.nextChunk, 1); chunk < nChunks; ) {
      const begin = chunk * chunkRows;
      scoreRows(model, columns, begin, Math.min(nRows, begin + chunkRows), out, codes);
      Atomics.store(done, chunk, 1);
      Atomics.notify(done, chunk);
      chunk = Atomics.add(control, JOB.nextChunk, 1);
    }
  } catch (error) {
    Atomics.store(control, JOB.failed, 1);
    for (let chunk = 0; chunk < nChunks; chunk++) Atomics.notify(done, chunk);
    throw error;
  }
}
