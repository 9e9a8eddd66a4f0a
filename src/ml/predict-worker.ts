// A scoring helper thread: takes each batch's job message and scores the chunks it claims (see
// predict-threads.ts), with the same kernel as the calling thread.

import { parentPort, workerData } from 'node:worker_threads';
import { helpWithJob, type ScoreJob } from './predict-threads.js';

const { ready } = workerData as { ready: Int32Array };
parentPort!.on('message', (job: ScoreJob) => helpWithJob(job));
Atomics.store(ready, 0, 1);
