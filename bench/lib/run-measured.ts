// Runs one benchmark process under `/usr/bin/time -v`: its JSON result lines, wall time and peak resident memory.
// A process that fails becomes a RunFailure carrying its command line and the tail of its stderr.

import { spawnSync } from 'node:child_process';

/** One JSON line a train command printed (the reference's keys: model, roc_auc, train_seconds, …). */
export type ResultLine = Record<string, unknown>;

/** What one measured process produced. */
export interface MeasuredRun {
  command: string[];
  lines: ResultLine[];
  /** Whole process, from spawn to exit: reading the CSV, encoding, training, predicting. */
  wallSeconds: number;
  /** "Maximum resident set size" of the process, as /usr/bin/time reports it. */
  maxRssMiB: number;
}

/** A process that exited non-zero, died from a signal or printed no usable report. */
export class RunFailure extends Error {
  override name = 'RunFailure';
  constructor(
    message: string,
    readonly command: string[],
    readonly stderrTail: string,
  ) {
    super(message);
  }
}

const RSS_LINE = /Maximum resident set size \(kbytes\):\s*(\d+)/;
const TIME_REPORT = '\tCommand being timed:';

/** Options of `runMeasured`. */
export interface RunOptions {
  /** Added to this process's environment. */
  env?: Record<string, string>;
  /** Fail when stdout holds no JSON line (default true; false for generators that print nothing). */
  requireJson?: boolean;
}

/** Runs `command` (program first) to completion. */
export function runMeasured(command: string[], options: RunOptions = {}): MeasuredRun {
  const start = performance.now();
  const child = spawnSync('/usr/bin/time', ['-v', ...command], {
    encoding: 'utf8',
    env: { ...process.env, ...options.env },
    maxBuffer: 512 * 2 ** 20,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const wallSeconds = (performance.now() - start) / 1000;
  const stderr = child.stderr ?? '';
  const reportAt = stderr.lastIndexOf(TIME_REPORT);
  // time's own notes ("Command exited with non-zero status 1") come just before its report.
  const ownStderr = (reportAt >= 0 ? stderr.slice(0, reportAt) : stderr).replace(
    /^Command (exited with non-zero status|terminated by signal) .*\n?$/m,
    '',
  );
  const tail = lastLines(ownStderr, 20);
  if (child.error) throw new RunFailure(`could not run: ${child.error.message}`, command, tail);
  if (child.status !== 0) {
    const how = child.signal ? `killed by ${child.signal}` : `exited with status ${child.status}`;
    const signalled = /Command terminated by signal (\d+)/.exec(stderr);
    throw new RunFailure(signalled ? `terminated by signal ${signalled[1]}` : how, command, tail);
  }
  const rss = RSS_LINE.exec(stderr.slice(Math.max(0, reportAt)));
  if (!rss) throw new RunFailure('no "Maximum resident set size" in the /usr/bin/time report', command, tail);
  const lines = jsonLines(child.stdout ?? '');
  if (lines.length === 0 && options.requireJson !== false)
    throw new RunFailure('printed no JSON result line', command, tail);
  return { command, lines, wallSeconds, maxRssMiB: Number(rss[1]) / 1024 };
}

/** Formats a command for a human to copy into a shell. */
export function shellLine(command: readonly string[]): string {
  return command
    .map((part) => (/^[\w@%+=:,./-]+$/.test(part) ? part : `'${part.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}

function jsonLines(text: string): ResultLine[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as ResultLine);
}

function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}
