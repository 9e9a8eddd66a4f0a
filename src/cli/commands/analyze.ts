// `churnwatch analyze inactivity`: the return curve (what share of customers inactive for k days came
// back) with a suggested churn horizon; printed, and saved as the warehouse table inactivity_curve.

import { join } from 'node:path';
import type { Command } from 'commander';
import { CONFIG_FILE, loadConfig } from '../../config/load-config.js';
import {
  analyzeInactivity,
  type InactivityCurve,
  saveInactivityCurve,
} from '../../labels/analyze-inactivity.js';
import { churnDefinitionFromConfig } from '../../labels/churn-definition.js';
import { openWarehouse } from '../../warehouse/warehouse.js';
import { intOption } from '../options.js';
import { textTable } from '../text-table.js';

interface InactivityFlags {
  workspace: string;
  config?: string;
  maxGapDays: number;
  json: boolean;
}

const SHOWN_GAPS = [1, 7, 14, 30, 45, 60, 90, 120, 180, 270, 365, 540, 730];

/** Adds the analyze command and its subcommands. */
export function registerAnalyze(program: Command): void {
  const analyze = program.command('analyze').description('analyses that help configure churnwatch');
  analyze
    .command('inactivity')
    .description(
      'return curve: share of customers inactive for k days who came back, and a suggested horizon',
    )
    .option('--workspace <dir>', 'the workspace folder', './churnwatch-data')
    .option('--config <file>', 'the configuration (default WORKSPACE/churnwatch.yaml)')
    .option('--max-gap-days <n>', 'longest gap on the curve', intOption('--max-gap-days', 1, 10_000), 365)
    .option('--json', 'the curve as one JSON line', false)
    .action(async (flags: InactivityFlags) => {
      const config = loadConfig(flags.config ?? join(flags.workspace, CONFIG_FILE));
      const definition = churnDefinitionFromConfig(config.churn);
      const source = definition.activity ?? [{ source: 'transactions' as const }];
      const warehouse = await openWarehouse(flags.workspace);
      try {
        const curve = await analyzeInactivity(warehouse, { source, maxGapDays: flags.maxGapDays });
        await saveInactivityCurve(warehouse, curve);
        process.stdout.write(flags.json ? `${JSON.stringify(curve)}\n` : `${formatCurve(curve)}\n`);
      } finally {
        warehouse.close();
      }
    });
}

function formatCurve(curve: InactivityCurve): string {
  const shown = new Set([...SHOWN_GAPS, curve.suggestedHorizonDays ?? 0]);
  const rows = curve.points
    .filter((p) => shown.has(p.gapDays))
    .map((p) => [
      p.gapDays === curve.suggestedHorizonDays ? `${p.gapDays} ←` : String(p.gapDays),
      p.inactiveCustomers,
      p.returnedCustomers,
      p.returnShare === null ? '-' : `${(p.returnShare * 100).toFixed(1)}%`,
    ]);
  const noActivity = curve.points.every((p) => p.inactiveCustomers === 0);
  const suggestion = noActivity
    ? 'no activity in the warehouse yet: run `churnwatch ingest` first'
    : curve.suggestedHorizonDays === null
      ? 'no suggestion: no gap length meets the rule'
      : `suggested horizon: ${curve.suggestedHorizonDays} days (churn.horizon_days)`;
  return [
    `activity: ${curve.activity}`,
    textTable(['inactive ≥ days', 'customers', 'came back', 'share back'], rows),
    '',
    suggestion,
    `rule: ${curve.rule}`,
    'saved as table inactivity_curve',
  ].join('\n');
}
