// The worker thread that plays the demo business forward (play-in-worker.ts starts it): the simulation is
// seconds of CPU work, which on the server's own thread would stall every request meanwhile.

import { parentPort, workerData } from 'node:worker_threads';
import { type BusinessOptions, simulateBusiness } from './business.js';
import { type CampaignAction, playForward } from './play-forward.js';

export interface PlayRequest {
  dir: string;
  settings: Required<BusinessOptions>;
  months: number;
  campaign: CampaignAction[];
  horizonDays: number;
}

/** What the worker posts: progress, then the summary (dates as ISO text) or the error. */
export type PlayMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; summary: Record<string, unknown> & { dataEnd: string } }
  | { type: 'failed'; message: string; key?: string };

const request = workerData as PlayRequest;
const post = (message: PlayMessage) => parentPort?.postMessage(message);
try {
  const summary = playForward(request.dir, simulateBusiness(request.settings), {
    months: request.months,
    campaign: request.campaign,
    horizonDays: request.horizonDays,
    onProgress: (_, done, total) => post({ type: 'progress', done, total }),
  });
  post({ type: 'done', summary: { ...summary, dataEnd: summary.dataEnd.toISOString() } });
} catch (error) {
  const where = (error as { where?: { key?: string } }).where;
  post({
    type: 'failed',
    message: error instanceof Error ? error.message : String(error),
    ...(where?.key ? { key: where.key } : {}),
  });
}
