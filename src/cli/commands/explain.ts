// `churnwatch explain MODEL [--data CSV]`: global feature importance, by mean |SHAP| and by split gain.

import type { Command } from 'commander';
import { readCsv } from '../../data/read-csv.js';
import { applySchema } from '../../data/schema.js';
import { globalImportance } from '../../tabular/importance.js';
import { loadModel } from '../../tabular/saved-model.js';
import { intOption } from '../options.js';
import { textTable } from '../text-table.js';

/** Adds the explain command. */
export function registerExplain(program: Command): void {
  program
    .command('explain')
    .description('show which features drive a saved (or XGBoost JSON) model: mean |SHAP| and split gain')
    .argument('<model>', 'model file written by `train --out`, or an XGBoost JSON model')
    .option('--data <file>', 'compute mean |SHAP| on the rows of this CSV instead of the stored test rows')
    .option('--top <n>', 'how many features', intOption('--top', 1), 20)
    .option('--json', 'print the importance list as JSON', false)
    .action((modelPath: string, flags: { top: number; json: boolean; data?: string }) => {
      const { file, classifier } = loadModel(modelPath);
      let importance = file.importance;
      if (flags.data) {
        const { matrix } = applySchema(file.schema, readCsv(flags.data));
        importance = globalImportance(classifier, matrix);
      }
      const top = importance.slice(0, flags.top);
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ model: file.kind, importance: top })}\n`);
        return;
      }
      const hasShap = importance.some((f) => f.meanAbsContribution > 0);
      const totalGain = importance.reduce((sum, f) => sum + (f.gain ?? 0), 0);
      const unit = file.kind === 'random_forest' ? 'probability' : 'log-odds';
      const source = flags.data ? `the rows of ${flags.data}` : 'the test rows';
      const heading = hasShap
        ? `${file.kind} model; mean |SHAP| in ${unit} on ${source}`
        : `${file.kind} model; split gain only (pass --data FILE for mean |SHAP|)`;
      const table = textTable(
        ['rank', 'feature', 'mean |SHAP|', 'gain share'],
        top.map((f, i) => [
          i + 1,
          f.feature,
          hasShap ? f.meanAbsContribution : '—',
          f.gain === null || totalGain === 0 ? '—' : `${((100 * f.gain) / totalGain).toFixed(1)}%`,
        ]),
      );
      process.stdout.write(`${heading}\n\n${table}\n`);
    });
}
