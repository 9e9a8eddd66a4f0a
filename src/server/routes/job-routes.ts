// Jobs: start a training, scoring, ingest or (demo) play run in the server (which holds the warehouse), follow its
// progress, read its result. One runs at a time; the others wait in order.

import { z } from 'zod';
import { recordAudit } from '../../security/audit-log.js';
import { can } from '../../security/permissions.js';
import { actorOf } from '../../security/principal.js';
import { isDemoFolder } from '../../simulate/demo-marker.js';
import { HttpError } from '../http-error.js';
import { DEFAULT_PLAY_MONTHS, JOB_KINDS, type Job, type JobKind, jobRunnerFor } from '../jobs.js';
import { defineRoute, type ServerDeps, signedIn } from '../route.js';

const isoTime = z.string().meta({ format: 'date-time' });

export const jobSchema = z
  .object({
    id: z.string(),
    kind: z.enum(JOB_KINDS),
    options: z.object({ months: z.number().int().optional() }),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    progress: z.object({ stage: z.string(), done: z.number(), total: z.number() }),
    startedBy: z.string().nullable(),
    createdAt: isoTime,
    startedAt: isoTime.nullable(),
    finishedAt: isoTime.nullable(),
    result: z.record(z.string(), z.unknown()).nullable().meta({ description: 'a summary, once done' }),
    error: z.string().nullable().meta({ description: 'why it failed' }),
  })
  .meta({ id: 'Job' });

/** The action each kind of job needs (the route itself asks for the weaker of them). */
const NEEDS = {
  train: 'models:train',
  score: 'models:train',
  ingest: 'data:ingest',
  play: 'data:ingest',
} as const satisfies Record<JobKind, string>;

function runner(deps: ServerDeps) {
  return jobRunnerFor(deps.warehouse, deps.workspace, deps.clock);
}

function found(job: Job | null, id: string): Job {
  if (!job) throw new HttpError(404, 'job_not_found', `no job with id "${id}"`, 'path jobId');
  return job;
}

export const jobRoutes = [
  defineRoute({
    id: 'startJob',
    method: 'POST',
    path: '/api/jobs',
    // Both actions are held by the same roles today; the handler checks the one the kind needs.
    access: 'data:ingest',
    tag: 'jobs',
    summary:
      'Start a job: train (models:train; the CLI defaults), score the whole population with the champion ' +
      '(models:train), ingest the configured sources (data:ingest), or — in a workspace made by ' +
      '`churnwatch demo` — play the simulated business `months` further (default 2) with the actions of the ' +
      'campaigns that start then, ingest the new months and score again (data:ingest). Answers 201 with the ' +
      'queued job.',
    body: z
      .object({
        kind: z.enum(JOB_KINDS),
        months: z
          .number()
          .int()
          .min(1)
          .max(12)
          .optional()
          .meta({ description: `play only: months to play (default ${DEFAULT_PLAY_MONTHS})` }),
      })
      .strict(),
    status: 201,
    response: jobSchema,
    handler: async ({ deps, body, principal, ip, now }) => {
      const who = signedIn(principal);
      const needs = NEEDS[body.kind];
      if (!can(who.role, needs)) {
        throw new HttpError(403, 'forbidden', `role ${who.role} may not ${needs} (a ${body.kind} job)`);
      }
      if (body.months !== undefined && body.kind !== 'play') {
        throw new HttpError(400, 'invalid_body', 'months is only for play jobs', 'body.months');
      }
      if (body.kind === 'play' && !isDemoFolder(deps.workspace)) {
        throw new HttpError(
          409,
          'not_a_demo',
          'only a workspace made by `churnwatch demo` can be played forward',
          'body.kind',
        );
      }
      const actor = actorOf(who, ip);
      const options = body.months === undefined ? {} : { months: body.months };
      const job = runner(deps).start(body.kind, actor.name, options);
      await recordAudit(deps.warehouse, now, actor, 'job.start', body.kind, { jobId: job.id });
      return job;
    },
  }),
  defineRoute({
    id: 'listJobs',
    method: 'GET',
    path: '/api/jobs',
    access: 'models:read',
    tag: 'jobs',
    summary: 'The jobs started since the server started, newest first.',
    response: z.object({ jobs: z.array(jobSchema) }),
    handler: async ({ deps }) => ({ jobs: runner(deps).list() }),
  }),
  defineRoute({
    id: 'getJob',
    method: 'GET',
    path: '/api/jobs/:jobId',
    access: 'models:read',
    tag: 'jobs',
    summary: 'One job: status, progress (stage, done of total), and its result or error.',
    response: jobSchema,
    handler: async ({ deps, params }) => found(runner(deps).get(params.jobId), params.jobId),
  }),
];
