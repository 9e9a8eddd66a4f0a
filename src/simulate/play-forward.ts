// `playForward`: the demo business goes on for more months after its data's end, with a campaign's actions
// applied to the treated customers. The history stays as written (the files up to `end` are never touched
// and every life replays it exactly); the new months' rows go to new files, with their ground truth:
// who churned, and per campaign customer whether they churned with the action and without it.
//
// Plays chain: truth/plays.json records each play, so the next one continues after it (its treatments
// replayed), and playing two months then one gives the same rows as playing three at once.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { checkTreatment, type SimulatedAction, type Treatment } from './action-effects.js';
import type { CustomerOutcome } from './behaviour.js';
import { type BusinessSimulation, customerId, MAX_MONTHS_PLAYED, playedWorld } from './business.js';
import { CHURN_CAUSES } from './business-model.js';
import { TRUTH_HEADERS } from './business-writer.js';
import { type Calendar, parseIsoDay, SECONDS_PER_DAY } from './calendar.js';
import { CsvFile } from './csv-file.js';
import { PLAY_SOURCES, type PlaySource, PlayWriter, playFile } from './play-writer.js';
import { type AssignmentTruth, churnedBetween, playLife } from './treatment-truth.js';
import { promotionRow } from './write-business.js';

/** One customer of a campaign and the action it is about. */
export interface CampaignAction {
  customerId: string;
  /** The treated get the action; the control group does not (its truth says what the action would have done). */
  group: 'treated' | 'control';
  action: SimulatedAction;
  /** The day it lands, `YYYY-MM-DD`, within the played months (default: the first played day). */
  on?: string;
  discountShare?: number;
  amount?: number;
  validityDays?: number;
}

export interface PlayOptions {
  /** Calendar months to play after the data's end (or after the last play). */
  months: number;
  campaign?: readonly CampaignAction[];
  /** Days from the treatment day in which a churn counts in the campaign truth (default: to the play's end). */
  horizonDays?: number;
  /** Called every 1000 customers and at the end. */
  onProgress?: (stage: 'customers', done: number, total: number) => void;
}

export interface CampaignTruth {
  customers: number;
  treated: number;
  control: number;
  /** Mean over the campaign's customers of churned with the action − churned without (within the horizon). */
  trueEffect: number;
  /** Churn share of the campaign's customers with the action, and without it (both groups). */
  churnWithAction: number;
  churnWithoutAction: number;
}

export interface PlaySummary {
  /** First and last played day, `YYYY-MM-DD`. */
  from: string;
  to: string;
  /** The last second of the new data: the ingest's `now` from now on. */
  dataEnd: Date;
  /** Files written, relative to the demo folder. */
  files: string[];
  rows: Record<PlaySource, number>;
  /** Customers who left in the played months. */
  churned: number;
  campaign?: CampaignTruth;
}

/** The plays so far, relative to the demo folder. */
export const PLAYS_FILE = 'truth/plays.json';

/** truth/campaign-<from>_<to>.csv: one row per campaign customer. */
export const CAMPAIGN_TRUTH_HEADER = [
  'customer_id',
  'campaign_group',
  'action',
  'treated_on',
  'horizon_ends_on',
  'member',
  'drift_cause',
  'readiness',
  'churned_with_action',
  'churned_without_action',
  'churned_at',
] as const;

/** truth/churn-<from>_<to>.csv: the customers who left in the played months. */
export const CHURN_TRUTH_HEADER = ['customer_id', 'churned_at', 'cause', 'voluntary'] as const;

interface PlayRecord {
  from: string;
  to: string;
  months: number;
  /** The treated customers' treatments (the control group's are not lived). */
  treatments: { customer: number; treatment: Treatment }[];
}

/** Plays `options.months` more months of the business written in `dir` (by writeBusiness, same simulation). */
export function playForward(dir: string, simulation: BusinessSimulation, options: PlayOptions): PlaySummary {
  const plays = readPlays(dir);
  const playedBefore = plays.reduce((sum, play) => sum + play.months, 0);
  const { months } = options;
  if (
    !Number.isSafeInteger(months) ||
    months < 1 ||
    simulation.months + playedBefore + months > MAX_MONTHS_PLAYED
  ) {
    throw new InputError(
      `months=${months} must be a whole number from 1 to ${MAX_MONTHS_PLAYED - simulation.months - playedBefore}`,
      {
        key: 'months',
      },
    );
  }
  const world = playedWorld(simulation, playedBefore + months);
  const calendar = world.calendar;
  const fromDay = calendar.monthStarts[simulation.months + playedBefore]!;
  const lastDay = calendar.days - 1;
  const from = calendar.date(fromDay);
  const to = calendar.date(lastDay);
  const assignments = campaignAssignments(simulation, options.campaign ?? [], fromDay, lastDay, from);
  const horizonDays = options.horizonDays ?? lastDay - fromDay + 1;
  if (!Number.isSafeInteger(horizonDays) || horizonDays < 1) {
    throw new InputError(`horizonDays=${horizonDays} must be a whole number of at least 1`, {
      key: 'horizonDays',
    });
  }

  const earlier = new Map<number, Treatment[]>();
  for (const play of plays) {
    for (const { customer, treatment } of play.treatments)
      earlier.set(customer, [...(earlier.get(customer) ?? []), treatment]);
  }
  const suffix = `${from}_${to}`;
  const writer = new PlayWriter(dir, suffix, calendar);
  const churnFile = new CsvFile(join(dir, playFile('truth/churn.csv', suffix)), CHURN_TRUTH_HEADER);
  const truths: AssignmentTruth[] = [];
  let churned = 0;
  try {
    for (let i = 0; i < simulation.customers; i++) {
      const before = earlier.get(i) ?? [];
      const assignment = assignments.get(i);
      const treated = assignment?.group === 'treated';
      const lived = playLife(simulation, world, i, {
        treatments: treated ? [...before, assignment.treatment] : before,
        sink: writer,
        emitFromDay: fromDay,
        ...(assignment ? { probeDay: assignment.treatment.day } : {}),
      });
      if (churnedBetween(lived.outcome, fromDay, lastDay)) {
        churned++;
        churnFile.write(churnRow(calendar, i, lived.outcome));
      }
      if (assignment) {
        // The other life, on the same random numbers: what the action did (or would have done).
        const other = playLife(simulation, world, i, {
          treatments: treated ? before : [...before, assignment.treatment],
        });
        truths.push({
          ...assignment,
          drift: lived.probe!,
          withAction: treated ? lived.outcome : other.outcome,
          withoutAction: treated ? other.outcome : lived.outcome,
        });
      }
      if ((i + 1) % 1000 === 0) options.onProgress?.('customers', i + 1, simulation.customers);
    }
  } finally {
    writer.close();
    churnFile.close();
  }
  options.onProgress?.('customers', simulation.customers, simulation.customers);

  const files = [
    ...PLAY_SOURCES.map((kind) => playFile(`data/${kind}.csv`, suffix)),
    playFile('truth/hazard.csv', suffix),
    playFile('truth/churn.csv', suffix),
  ];
  const market = new CsvFile(join(dir, playFile('truth/market.csv', suffix)), TRUTH_HEADERS.market);
  for (const p of world.promotions) if (p.startDay >= fromDay) market.write(promotionRow(calendar, p));
  market.close();
  files.push(playFile('truth/market.csv', suffix));

  const summary: PlaySummary = {
    from,
    to,
    dataEnd: new Date(calendar.startMs + (lastDay + 1) * SECONDS_PER_DAY * 1000 - 1000),
    files,
    rows: Object.fromEntries(PLAY_SOURCES.map((kind) => [kind, writer.sources[kind].rows])) as Record<
      PlaySource,
      number
    >,
    churned,
  };
  if (assignments.size > 0) {
    const campaignFile = playFile('truth/campaign.csv', suffix);
    summary.campaign = writeCampaignTruth(join(dir, campaignFile), calendar, truths, horizonDays, lastDay);
    files.push(campaignFile);
  }
  plays.push({
    from,
    to,
    months,
    treatments: truths
      .filter((t) => t.group === 'treated')
      .map(({ customer, treatment }) => ({ customer, treatment })),
  });
  writeFileSync(join(dir, PLAYS_FILE), `${JSON.stringify({ plays }, null, 1)}\n`);
  files.push(PLAYS_FILE);
  return summary;
}

/** The campaign's actions as treatments per customer index, checked. */
function campaignAssignments(
  simulation: BusinessSimulation,
  campaign: readonly CampaignAction[],
  fromDay: number,
  lastDay: number,
  from: string,
): Map<number, { customer: number; group: 'treated' | 'control'; treatment: Treatment }> {
  const calendar = simulation.world.calendar;
  const out = new Map<number, { customer: number; group: 'treated' | 'control'; treatment: Treatment }>();
  campaign.forEach((entry, k) => {
    const key = `campaign[${k}]`;
    const match = /^C(\d{7})$/.exec(entry.customerId);
    const customer = match ? Number(match[1]) - 1 : -1;
    if (customer < 0 || customer >= simulation.customers) {
      throw new InputError(
        `${key}.customerId=${JSON.stringify(entry.customerId)} is not a customer of the demo business`,
        {
          key: `${key}.customerId`,
        },
      );
    }
    if (out.has(customer)) {
      throw new InputError(`${key}.customerId=${entry.customerId} is in the campaign twice`, {
        key: `${key}.customerId`,
      });
    }
    if (entry.group !== 'treated' && entry.group !== 'control') {
      throw new InputError(`${key}.group=${JSON.stringify(entry.group)} must be treated or control`, {
        key: `${key}.group`,
      });
    }
    const on = entry.on ?? from;
    let day: number;
    try {
      day = Math.round((parseIsoDay(on, `${key}.on`) - calendar.startMs) / (SECONDS_PER_DAY * 1000));
    } catch (error) {
      throw new InputError((error as Error).message, { key: `${key}.on` }, { cause: error });
    }
    if (day < fromDay || day > lastDay) {
      throw new InputError(`${key}.on=${on} must be a played day (from ${from})`, { key: `${key}.on` });
    }
    const treatment: Treatment = { day, action: entry.action };
    if (entry.discountShare !== undefined) treatment.discountShare = entry.discountShare;
    if (entry.amount !== undefined) treatment.amount = entry.amount;
    if (entry.validityDays !== undefined) treatment.validityDays = entry.validityDays;
    out.set(customer, { customer, group: entry.group, treatment: checkTreatment(treatment, key) });
  });
  return out;
}

function churnRow(calendar: Calendar, i: number, outcome: CustomerOutcome): string {
  const { churnSecond, cause, voluntary } = outcome;
  return [customerId(i), calendar.timestamp(churnSecond), CHURN_CAUSES[cause], String(voluntary)].join(',');
}

function writeCampaignTruth(
  path: string,
  calendar: Calendar,
  truths: readonly AssignmentTruth[],
  horizonDays: number,
  lastDay: number,
): CampaignTruth {
  const file = new CsvFile(path, CAMPAIGN_TRUTH_HEADER);
  let withAction = 0;
  let withoutAction = 0;
  let treated = 0;
  for (const t of truths) {
    const day = t.treatment.day;
    const end = Math.min(lastDay, day + horizonDays - 1);
    const churnedWith = churnedBetween(t.withAction, day, end);
    const churnedWithout = churnedBetween(t.withoutAction, day, end);
    withAction += Number(churnedWith);
    withoutAction += Number(churnedWithout);
    if (t.group === 'treated') treated++;
    const lived = t.group === 'treated' ? t.withAction : t.withoutAction;
    file.write(
      [
        customerId(t.customer),
        t.group,
        t.treatment.action,
        calendar.date(day),
        calendar.date(end),
        String(t.drift.member),
        t.drift.mainCause >= 0 ? CHURN_CAUSES[t.drift.mainCause] : '',
        t.drift.readiness.toFixed(4),
        String(churnedWith),
        String(churnedWithout),
        lived.churnSecond >= 0 ? calendar.timestamp(lived.churnSecond) : '',
      ].join(','),
    );
  }
  file.close();
  const n = truths.length;
  return {
    customers: n,
    treated,
    control: n - treated,
    trueEffect: (withAction - withoutAction) / n,
    churnWithAction: withAction / n,
    churnWithoutAction: withoutAction / n,
  };
}

function readPlays(dir: string): PlayRecord[] {
  const path = join(dir, PLAYS_FILE);
  if (!existsSync(path)) return [];
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { plays: PlayRecord[] }).plays;
  } catch (error) {
    throw new InputError(
      `${PLAYS_FILE} is not a record of plays: ${(error as Error).message}`,
      { file: path },
      {
        cause: error,
      },
    );
  }
}
