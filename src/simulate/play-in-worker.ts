// playForward on a worker thread (play-worker.ts), for the server: the same files and summary, while the
// server's own thread keeps answering requests. Errors come back as they were thrown (InputError with its key).

import { InputError } from '../errors.js';
import { startModuleWorker } from '../ml/start-worker.js';
import type { BusinessOptions } from './business.js';
import type { CampaignAction, PlaySummary } from './play-forward.js';
import type { PlayMessage, PlayRequest } from './play-worker.js';

/** Plays `months` more months of the demo written in `dir` with `settings`; see play-forward.ts. */
export function playForwardInWorker(
  dir: string,
  settings: Required<BusinessOptions>,
  options: {
    months: number;
    campaign: CampaignAction[];
    horizonDays: number;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<PlaySummary> {
  const request: PlayRequest = {
    dir,
    settings,
    months: options.months,
    campaign: options.campaign,
    horizonDays: options.horizonDays,
  };
  const worker = startModuleWorker('play-worker', import.meta.url, { workerData: request });
  return new Promise((resolve, reject) => {
    let settled = false;
    worker.on('message', (message: PlayMessage) => {
      if (message.type === 'progress') options.onProgress?.(message.done, message.total);
      else if (message.type === 'done') {
        settled = true;
        resolve({ ...message.summary, dataEnd: new Date(message.summary.dataEnd) } as unknown as PlaySummary);
      } else {
        settled = true;
        reject(
          message.key ? new InputError(message.message, { key: message.key }) : new Error(message.message),
        );
      }
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the play worker stopped (exit code ${code}) before it finished`));
    });
  });
}
