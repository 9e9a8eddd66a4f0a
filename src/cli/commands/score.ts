// `churnwatch score MODEL DATA.csv`: probability, tier and top drivers for every row, as CSV.

import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { formatDriver, type Locale } from '../../scoring/drivers.js';
import { loadModel } from '../../tabular/saved-model.js';
import { type ScoreTableResult, scoreTable } from '../../tabular/score-table.js';
import { choiceOption, intOption } from '../options.js';
import { createProgress } from '../progress.js';
import { textTable } from '../text-table.js';
import { runWorkspaceScore } from './score-workspace.js';

export interface ScoreFlags {
  workspace: string;
  config?: string;
  modelVersion?: number;
  at?: string;
  top: number;
  out?: string;
  json: boolean;
  locale: Locale;
  encoding: 'auto' | 'utf-8' | 'gb18030';
}

/** Adds the score command. */
export function registerScore(program: Command): void {
  program
    .command('score')
    .description(
      'score every active customer of the workspace now (or, given MODEL and DATA, the rows of a CSV): ' +
        'churn probability, risk tier and main reasons',
    )
    .argument('[model]', 'model file written by `train --out` (the quick path)')
    .argument('[data]', 'CSV file with the columns the model was trained on (the quick path)')
    .option('--workspace <dir>', 'the workspace folder', './churnwatch-data')
    .option('--config <file>', 'the configuration (default WORKSPACE/churnwatch.yaml)')
    .option(
      '--model-version <n>',
      'workspace: score with this registered version (default: the champion)',
      intOption('--model-version', 1),
    )
    .option('--at <date>', 'workspace: the scoring date YYYY-MM-DD (default: the day after the data ends)')
    .option('--top <n>', 'workspace: customers shown, riskiest first', intOption('--top', 0), 10)
    .option('--out <file>', 'write the scores as CSV to FILE instead of stdout')
    .option('--locale <locale>', 'en or zh-CN', choiceOption('--locale', ['en', 'zh-CN'] as const), 'en')
    .option(
      '--encoding <name>',
      'auto, utf-8 or gb18030',
      choiceOption('--encoding', ['auto', 'utf-8', 'gb18030'] as const),
      'auto',
    )
    .option('--json', 'one JSON line per customer', false)
    .action(async (modelPath: string | undefined, data: string | undefined, flags: ScoreFlags) => {
      if (modelPath === undefined) {
        await runWorkspaceScore(flags);
        return;
      }
      if (data === undefined) {
        throw new InputError('a model file needs a data file to score: churnwatch score MODEL DATA.csv', {
          file: modelPath,
        });
      }
      // Progress on the terminal only when the scores go to a file, not interleaved with CSV on stdout.
      const progress = createProgress(flags.json || !flags.out);
      const result = scoreTable(loadModel(modelPath), data, {
        encoding: flags.encoding,
        locale: flags.locale,
        onProgress: (done, total) => progress.update('scoring and explaining', done, total),
      });
      progress.done();
      for (const problem of result.problems) process.stderr.write(`warning: ${problem}\n`);
      if (flags.json) {
        for (const row of result.rows) process.stdout.write(`${JSON.stringify(row)}\n`);
        return;
      }
      const csv = scoresCsv(result);
      if (flags.out) {
        writeFileSync(flags.out, csv);
        process.stdout.write(`${summary(result)}\nwrote ${result.rows.length} scores to ${flags.out}\n`);
      } else {
        process.stdout.write(csv);
      }
    });
}

/** The scores as CSV: id, probability, tier, driver_1..3. */
export function scoresCsv(result: ScoreTableResult): string {
  const quote = (text: string) => (/[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  const lines = ['id,probability,tier,driver_1,driver_2,driver_3'];
  for (const row of result.rows) {
    const drivers = [0, 1, 2].map((k) => (row.drivers[k] ? formatDriver(row.drivers[k]) : ''));
    lines.push([quote(row.id), row.probability.toFixed(6), row.tier, ...drivers.map(quote)].join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** Tier counts and the riskiest customers, for the terminal. */
export function summary(result: ScoreTableResult, top = 10): string {
  const { high, medium, low } = result.tiers;
  const riskiest = [...result.rows].sort((a, b) => b.probability - a.probability).slice(0, top);
  return [
    `tiers: high ${high}, medium ${medium}, low ${low}`,
    '',
    textTable(
      ['customer', 'probability', 'tier', 'main drivers'],
      riskiest.map((row) => [
        row.id,
        row.probability.toFixed(3),
        row.tier,
        row.drivers.map(formatDriver).join('; '),
      ]),
    ),
  ].join('\n');
}
