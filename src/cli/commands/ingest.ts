// `churnwatch ingest`: loads the sources of churnwatch.yaml into the workspace warehouse and prints the
// load report (rows loaded, rows quarantined by reason, with examples, and the customers derived when there
// is no customers source).

import { join } from 'node:path';
import type { Command } from 'commander';
import { CONFIG_FILE, loadConfig } from '../../config/load-config.js';
import { type DerivedCustomers, type IngestReport, ingest } from '../../warehouse/ingest.js';
import { openWarehouse } from '../../warehouse/warehouse.js';
import { createProgress } from '../progress.js';
import { textTable } from '../text-table.js';

interface IngestFlags {
  workspace: string;
  config?: string;
  json: boolean;
}

/** Adds the ingest command. */
export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('load the sources of churnwatch.yaml; bad rows go to the quarantine with their reason')
    .option('--workspace <dir>', 'the workspace folder', './churnwatch-data')
    .option('--config <file>', 'the configuration (default WORKSPACE/churnwatch.yaml)')
    .option('--json', 'the load report as one JSON line', false)
    .action(async (flags: IngestFlags) => {
      const config = loadConfig(flags.config ?? join(flags.workspace, CONFIG_FILE));
      const warehouse = await openWarehouse(flags.workspace);
      const progress = createProgress(flags.json);
      try {
        const report = await ingest(warehouse, config, {
          onProgress: (p) => progress.update(`ingest ${p.source}`, p.done, p.total),
        });
        progress.done();
        process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : `${formatReport(report)}\n`);
      } finally {
        warehouse.close();
      }
    });
}

/** The load report as tables: per source, then per quarantine reason with examples. */
export function formatReport(report: IngestReport): string {
  const lines = [
    textTable(
      ['source', 'files', 'unchanged', 'rows read', 'loaded', 'quarantined'],
      report.sources.map((s) => [
        s.source,
        s.files.length,
        s.files.filter((f) => f.status === 'unchanged').length,
        s.rowsRead,
        s.rowsLoaded,
        s.rowsQuarantined,
      ]),
    ),
  ];
  const reasons = report.sources.flatMap((s) => s.quarantined.map((q) => ({ source: s.source, ...q })));
  if (reasons.length > 0) {
    lines.push(
      '',
      'quarantined rows (table quarantine):',
      textTable(
        ['source', 'reason', 'rows', 'example'],
        reasons.map((r) => {
          const example = r.examples[0];
          const text = example
            ? `line ${example.line}${example.detail ? `: ${example.detail}` : `: ${example.raw}`}`
            : '';
          return [r.source, r.reason, r.rows, text.length > 70 ? `${text.slice(0, 67)}...` : text];
        }),
      ),
    );
  }
  if (report.derivedCustomers) lines.push('', ...derivedLines(report.derivedCustomers));
  lines.push('', `loaded ${report.rowsLoaded} rows, quarantined ${report.rowsQuarantined}`);
  return lines.join('\n');
}

/** `customers: 23570 derived from transactions (no customers source)` and what that means. */
function derivedLines(derived: DerivedCustomers): string[] {
  const from = derived.sources.map((s) => s.source);
  const parts =
    derived.sources.length > 1 ? derived.sources.map((s) => `${s.source} ${s.added}`).join(', ') : '';
  return [
    `customers: ${derived.added} derived from ${from.join(', ')} (no customers source)` +
      `${parts ? `: ${parts}` : ''}; ${derived.total} in the warehouse`,
    '  signup_at = first activity; segment, region and plan empty; without a customers file no row',
    '  can be quarantined as unknown_customer (customers already stored keep their row)',
  ];
}
