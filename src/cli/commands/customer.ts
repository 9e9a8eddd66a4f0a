// `churnwatch customer ID`: one customer's 360° view in the terminal — profile, activity, recent timeline,
// score history and reasons.

import type { Command } from 'commander';
import { type CustomerView, customerView } from '../../customer360/customer-view.js';
import { openWarehouse } from '../../warehouse/warehouse.js';
import { choiceOption, intOption } from '../options.js';
import { textTable } from '../text-table.js';

interface CustomerFlags {
  workspace: string;
  locale: 'en' | 'zh-CN';
  timeline: number;
  json: boolean;
}

/** Adds the customer command. */
export function registerCustomer(program: Command): void {
  program
    .command('customer')
    .description("one customer's 360° view: profile, activity, recent timeline, score history and reasons")
    .argument('<id>', 'the customer id')
    .option('--workspace <dir>', 'the workspace folder', './churnwatch-data')
    .option('--locale <locale>', 'en or zh-CN', choiceOption('--locale', ['en', 'zh-CN'] as const), 'en')
    .option('--timeline <n>', 'latest activities shown', intOption('--timeline', 0, 1000), 15)
    .option('--json', 'the view as one JSON line', false)
    .action(async (id: string, flags: CustomerFlags) => {
      const warehouse = await openWarehouse(flags.workspace);
      try {
        const view = await customerView(warehouse, id, { timeline: flags.timeline });
        process.stdout.write(
          flags.json ? `${JSON.stringify(view)}\n` : `${formatView(view, flags.locale)}\n`,
        );
      } finally {
        warehouse.close();
      }
    });
}

/** The view as a few titled blocks. */
export function formatView(view: CustomerView, locale: 'en' | 'zh-CN'): string {
  const p = view.profile;
  const current = view.scores[0];
  const lines = [
    `customer ${p.customerId}`,
    `  signed up ${p.signupAt.slice(0, 10)}` +
      [p.segment && `segment ${p.segment}`, p.region && `region ${p.region}`, p.plan && `plan ${p.plan}`]
        .filter(Boolean)
        .map((part) => `, ${part}`)
        .join(''),
    ...(view.cancelledAt ? [`  cancelled ${view.cancelledAt.slice(0, 10)}`] : []),
    current
      ? `  risk ${current.probability.toFixed(3)} (${current.tier}) on ${current.scoredAt}: ${current.reasons[locale]}`
      : '  not scored yet: run `churnwatch score`',
    '',
    `activity before ${view.asOf}:`,
    view.activity.length === 0
      ? '  none'
      : textTable(
          ['kind', 'last 30 days', 'last 90 days', 'spend 90 days', 'latest'],
          view.activity.map((a) => [
            a.kind,
            a.last30,
            a.last90,
            a.amount90 === null ? '' : a.amount90.toFixed(2),
            a.latest ?? '',
          ]),
        ),
    `open tickets: ${view.openTickets}`,
  ];
  if (view.timeline.length > 0) {
    lines.push(
      '',
      'latest activity:',
      textTable(
        ['when', 'what', 'detail'],
        view.timeline.map((t) => [t.at, t.kind, t.detail]),
      ),
    );
  }
  if (view.scores.length > 0) {
    lines.push(
      '',
      'score history:',
      textTable(
        ['date', 'model', 'probability', 'tier'],
        view.scores.map((s) => [s.scoredAt, `v${s.modelVersion}`, s.probability.toFixed(3), s.tier]),
      ),
    );
  }
  return lines.join('\n');
}
