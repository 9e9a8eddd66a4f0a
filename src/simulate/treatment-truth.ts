// The ground truth of a campaign in the simulated business: every assigned customer's life played twice
// after the data's end, with and without the action, on the same random numbers (LifeStreams), so the
// difference is the action's effect on that customer and its mean is the campaign's true effect.

import type { Treatment } from './action-effects.js';
import type { ActivitySink, CustomerOutcome, DriftProbe } from './behaviour.js';
import { type BusinessSimulation, customerRandom, playedStreams } from './business.js';
import { SECONDS_PER_DAY } from './calendar.js';
import { type ForwardLife, SILENT_SINK, simulateForward } from './played-life.js';
import type { World } from './world.js';

/** One customer of a campaign: in the treated group (gets the action) or the control group (does not). */
export interface Assignment {
  /** Index of the customer (customer id C0000001 is 0). */
  customer: number;
  group: 'treated' | 'control';
  /** The action: what the treated get, what the control would have got. */
  treatment: Treatment;
}

export interface AssignmentTruth extends Assignment {
  /** The drift at the start of the treatment day: was the customer a member, and why drifting. */
  drift: DriftProbe;
  /** The life with the action and without it (one of them is what happened). */
  withAction: CustomerOutcome;
  withoutAction: CustomerOutcome;
}

/**
 * Customer i's life played through `world` (the simulation's market, possibly continued: playedWorld),
 * rows from `emitFromDay` on to `sink`, with `treatments`; the drift is probed at the start of `probeDay`.
 */
export function playLife(
  simulation: BusinessSimulation,
  world: World,
  i: number,
  options: {
    treatments?: readonly Treatment[];
    probeDay?: number;
    sink?: ActivitySink;
    emitFromDay?: number;
  },
): ForwardLife {
  return simulateForward(world, simulation.population, i, {
    historyDays: simulation.world.calendar.days,
    random: customerRandom(simulation, i),
    monthStreams: (month) => playedStreams(simulation, i, month),
    sink: options.sink ?? SILENT_SINK,
    emitFromDay: options.emitFromDay ?? world.calendar.days,
    ...(options.treatments ? { treatments: options.treatments } : {}),
    ...(options.probeDay !== undefined ? { probeDay: options.probeDay } : {}),
  });
}

/** The drift of customers on the first day after the data's end (who is at risk, and why). */
export function driftAfterEnd(simulation: BusinessSimulation, customers: readonly number[]): DriftProbe[] {
  const days = simulation.world.calendar.days;
  return customers.map((i) => playLife(simulation, simulation.world, i, { probeDay: days }).probe!);
}

/**
 * Plays each assigned customer's life through `world` with and without its action (on top of the
 * customer's `earlier` treatments, which both lives get).
 */
export function treatmentTruth(
  simulation: BusinessSimulation,
  world: World,
  assignments: readonly Assignment[],
  earlier: ReadonlyMap<number, readonly Treatment[]> = new Map(),
): AssignmentTruth[] {
  return assignments.map((assignment) => {
    const { customer, treatment } = assignment;
    const before = earlier.get(customer) ?? [];
    const probeDay = treatment.day;
    const treated = playLife(simulation, world, customer, { treatments: [...before, treatment], probeDay });
    const untreated = playLife(simulation, world, customer, { treatments: before, probeDay });
    return {
      ...assignment,
      drift: untreated.probe!,
      withAction: treated.outcome,
      withoutAction: untreated.outcome,
    };
  });
}

/** Whether the life ended in a cancellation on a day from `fromDay` through `lastDay`. */
export function churnedBetween(outcome: CustomerOutcome, fromDay: number, lastDay: number): boolean {
  return (
    outcome.churnSecond >= fromDay * SECONDS_PER_DAY && outcome.churnSecond < (lastDay + 1) * SECONDS_PER_DAY
  );
}

/**
 * The campaign's true effect on churn: the mean over its customers (both groups) of churned with the
 * action minus churned without it, each counted from the customer's treatment day through `lastDay`.
 */
export function trueEffect(truths: readonly AssignmentTruth[], lastDay: number): number {
  if (truths.length === 0) return 0;
  let sum = 0;
  for (const t of truths) {
    const day = t.treatment.day;
    sum +=
      Number(churnedBetween(t.withAction, day, lastDay)) -
      Number(churnedBetween(t.withoutAction, day, lastDay));
  }
  return sum / truths.length;
}
