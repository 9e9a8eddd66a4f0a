// Long work started over HTTP (train, score, ingest; play, in the demo): run inside the server process, because the server
// holds the workspace's warehouse (DuckDB lets one process open it), one job at a time (one writer), with
// the same stage functions and progress callbacks the CLI uses. Jobs are kept in memory: the list is the
// server's since it started (the stages' own tables — model_registry, scores, load_log — are the history).

import { randomUUID } from 'node:crypto';
import { workspaceFeatures } from '../features/workspace-features.js';
import { MODEL_KINDS } from '../ml/classifier.js';
import { scoreWorkspace } from '../scoring/score-workspace.js';
import { playDemo } from '../simulate/play-demo.js';
import { trainWorkspace } from '../training/train-workspace.js';
import { ingest } from '../warehouse/ingest.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { workspaceConfig } from './workspace-config.js';

export const JOB_KINDS = ['train', 'score', 'ingest', 'play'] as const;
export type JobKind = (typeof JOB_KINDS)[number];
export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface JobProgress {
  /** What the job is doing now, in words (`snapshots`, `scoring`, `events data/events.csv`). */
  stage: string;
  done: number;
  total: number;
}

/** Settings of a job beyond its kind. */
export interface JobOptions {
  /** play: calendar months of the demo business to play forward (default 2). */
  months?: number;
}

export interface Job {
  id: string;
  kind: JobKind;
  options: JobOptions;
  status: JobStatus;
  progress: JobProgress;
  /** Who started it: a username or `token:<name>`. */
  startedBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** A summary of what the stage produced, once done. */
  result: Record<string, unknown> | null;
  /** Why it failed, in one line. */
  error: string | null;
}

/** Months a play job plays unless told: enough for the demo's 30-day horizon after a campaign's start. */
export const DEFAULT_PLAY_MONTHS = 2;

/** Jobs kept in memory at most; the oldest finished ones are forgotten first. */
const KEEP = 200;

type Report = (progress: JobProgress) => void;

/** Runs jobs one at a time, in the order they were started. */
export class JobRunner {
  private readonly jobs = new Map<string, Job>();
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly warehouse: Warehouse,
    private readonly workspace: string,
    private readonly clock: () => number,
  ) {}

  /** Queues a job and returns it (status queued); it runs after the jobs before it. */
  start(kind: JobKind, startedBy: string | null, options: JobOptions = {}): Job {
    const job: Job = {
      id: randomUUID(),
      kind,
      options,
      status: 'queued',
      progress: { stage: 'queued', done: 0, total: 0 },
      startedBy,
      createdAt: this.time(),
      startedAt: null,
      finishedAt: null,
      result: null,
      error: null,
    };
    this.jobs.set(job.id, job);
    this.forgetOld();
    this.chain = this.chain.then(() => this.run(job));
    return { ...job };
  }

  /** Every job, newest first. */
  list(): Job[] {
    return [...this.jobs.values()].reverse().map((job) => ({ ...job }));
  }

  /** One job, or null. */
  get(id: string): Job | null {
    const job = this.jobs.get(id);
    return job ? { ...job } : null;
  }

  /** Resolves when every job started so far has finished. */
  idle(): Promise<void> {
    return this.chain;
  }

  private async run(job: Job): Promise<void> {
    job.status = 'running';
    job.startedAt = this.time();
    job.progress = { stage: 'starting', done: 0, total: 0 };
    const report: Report = (progress) => {
      job.progress = progress;
    };
    try {
      job.result = await this.stage(job, report);
      job.status = 'done';
    } catch (error) {
      job.status = 'failed';
      job.error = error instanceof Error ? error.message : String(error);
    }
    job.finishedAt = this.time();
  }

  private async stage(job: Job, report: Report): Promise<Record<string, unknown>> {
    const { warehouse, workspace } = this;
    const config = workspaceConfig(workspace);
    switch (job.kind) {
      case 'train': {
        report({ stage: 'features', done: 0, total: 0 });
        const result = await trainWorkspace(
          warehouse,
          {
            workspace,
            config,
            features: await workspaceFeatures(warehouse, config),
            models: [...MODEL_KINDS],
            // The CLI's defaults (`churnwatch train`).
            calibrate: 'platt',
            seed: 42,
            threads: 2,
            rounds: 500,
            earlyStopping: 50,
            forestTrees: 300,
            positiveWeight: 1,
            promote: 'if-better',
          },
          {
            onStage: (message) => report({ stage: message, done: 0, total: 0 }),
            onProgress: (what, done, total) => report({ stage: what, done, total }),
          },
        );
        return {
          version: result.entry.version,
          kind: result.best,
          promoted: result.promoted,
          rocAuc: result.metrics.rocAuc,
          prAuc: result.metrics.prAuc,
          decision: result.comparison?.decision ?? null,
          warnings: result.warnings,
        };
      }
      case 'score': {
        const result = await scoreWorkspace(warehouse, {
          workspace,
          config,
          onProgress: (done, total) => report({ stage: 'scoring', done, total }),
        });
        return {
          scoredAt: result.scoredAt,
          modelVersion: result.model.version,
          customers: result.scores.length,
          tiers: result.tiers,
        };
      }
      case 'ingest': {
        const result = await ingest(warehouse, config, {
          onProgress: (p) => report({ stage: `${p.source} ${p.file}`, done: p.done, total: p.total }),
        });
        return {
          rowsLoaded: result.rowsLoaded,
          rowsQuarantined: result.rowsQuarantined,
          sources: result.sources.map((s) => ({
            source: s.source,
            rowsLoaded: s.rowsLoaded,
            rowsQuarantined: s.rowsQuarantined,
          })),
        };
      }
      case 'play': {
        const result = await playDemo(warehouse, {
          workspace,
          config,
          months: job.options.months ?? DEFAULT_PLAY_MONTHS,
          onProgress: (stage, done, total) => report({ stage, done, total }),
        });
        return { ...result };
      }
    }
  }

  private forgetOld(): void {
    for (const [id, job] of this.jobs) {
      if (this.jobs.size <= KEEP) break;
      if (job.status === 'done' || job.status === 'failed') this.jobs.delete(id);
    }
  }

  private time(): string {
    return new Date(this.clock()).toISOString();
  }
}

const runners = new WeakMap<Warehouse, JobRunner>();

/** The job runner of a server's warehouse. */
export function jobRunnerFor(warehouse: Warehouse, workspace: string, clock: () => number): JobRunner {
  let runner = runners.get(warehouse);
  if (!runner) {
    runner = new JobRunner(warehouse, workspace, clock);
    runners.set(warehouse, runner);
  }
  return runner;
}
