// `churnwatch score` without a model file: scores the workspace's customers with the champion, stores the
// scores, and prints the tier counts and the riskiest customers with their reasons.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_FILE, loadConfig } from '../../config/load-config.js';
import { type ScoreWorkspaceResult, scoreWorkspace } from '../../scoring/score-workspace.js';
import { openWarehouse } from '../../warehouse/warehouse.js';
import { createProgress } from '../progress.js';
import { textTable } from '../text-table.js';
import type { ScoreFlags } from './score.js';

/** Scores the workspace with progress and prints (or writes) the result. */
export async function runWorkspaceScore(flags: ScoreFlags): Promise<ScoreWorkspaceResult> {
  const config = loadConfig(flags.config ?? join(flags.workspace, CONFIG_FILE));
  const progress = createProgress(flags.json);
  const warehouse = await openWarehouse(flags.workspace);
  try {
    const result = await scoreWorkspace(warehouse, {
      workspace: flags.workspace,
      config,
      ...(flags.modelVersion === undefined ? {} : { modelVersion: flags.modelVersion }),
      ...(flags.at === undefined ? {} : { at: flags.at }),
      onProgress: (done, total) => progress.update('scoring and explaining', done, total),
    });
    progress.done();
    for (const problem of result.problems) process.stderr.write(`warning: ${problem}\n`);
    if (flags.json) {
      for (const s of result.scores)
        process.stdout.write(`${JSON.stringify({ scored_at: result.scoredAt, ...s })}\n`);
      return result;
    }
    if (flags.out) writeFileSync(flags.out, scoresCsv(result));
    process.stdout.write(`${workspaceSummary(result, flags.top, flags.locale)}\n`);
    if (flags.out) process.stdout.write(`wrote ${result.scores.length} scores to ${flags.out}\n`);
    return result;
  } finally {
    warehouse.close();
  }
}

/** Tier counts and the riskiest customers with their reasons, for the terminal. */
export function workspaceSummary(result: ScoreWorkspaceResult, top: number, locale: 'en' | 'zh-CN'): string {
  const { high, medium, low } = result.tiers;
  const t = result.thresholds;
  const lines = [
    `scored ${result.scores.length} customers at ${result.scoredAt} with model v${result.model.version} (${result.model.kind}); stored in table scores`,
    `tiers: high ${high} (≥ ${t.high.toFixed(3)}), medium ${medium} (≥ ${t.medium.toFixed(3)}), low ${low}`,
  ];
  if (top > 0) {
    lines.push(
      '',
      textTable(
        ['customer', 'probability', 'reasons'],
        result.scores.slice(0, top).map((s) => [s.customerId, s.probability.toFixed(3), s.reasons[locale]]),
      ),
    );
  }
  return lines.join('\n');
}

function scoresCsv(result: ScoreWorkspaceResult): string {
  const quote = (text: string) => (/[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  const lines = ['customer_id,scored_at,model_version,probability,tier,reasons_en,reasons_zh'];
  for (const s of result.scores) {
    lines.push(
      [
        quote(s.customerId),
        result.scoredAt,
        result.model.version,
        s.probability.toFixed(6),
        s.tier,
        quote(s.reasons.en),
        quote(s.reasons['zh-CN']),
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
