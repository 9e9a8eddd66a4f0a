// Churn definitions (R5): what "churned" means for a business, independent of the config file's spelling.
// Labels look at data at and after the cutoff T — the one place that does; features never do (features/).

import type { ChurnConfig } from '../config/config-schema.js';
import { InputError } from '../errors.js';

/** Rows that count as activity: all transactions, or events (of some types only when `eventTypes` is set). */
export interface ActivitySpec {
  readonly source: 'transactions' | 'events';
  readonly eventTypes?: readonly string[];
}

interface Horizon {
  /** H: churn is looked for in [T, T + H days). */
  readonly horizonDays: number;
  /** Only customers with activity in [T − activeWithinDays, T) are labelled. Default: all signed up before T. */
  readonly activeWithinDays?: number;
}

/** A cancellation with T ≤ cancelled_at < T + H. */
export interface ContractualChurn extends Horizon {
  readonly kind: 'contractual';
  /** Only used with activeWithinDays (what counts as recent activity); default transactions. */
  readonly activity?: readonly ActivitySpec[];
}

/** No activity with T ≤ time < T + H. */
export interface NonContractualChurn extends Horizon {
  readonly kind: 'nonContractual';
  readonly activity: readonly ActivitySpec[];
}

/**
 * Activity in [T, T + H) below `threshold` × baseline, where baseline = activity in [T − B, T) × H / B
 * (B = baselineDays, default H: the H days before T, so no scaling). Customers with no baseline activity
 * cannot drop and are not labelled.
 */
export interface PartialChurn extends Horizon {
  readonly kind: 'partial';
  readonly activity: readonly ActivitySpec[];
  readonly threshold: number;
  readonly baselineDays?: number;
}

export type ChurnDefinition = ContractualChurn | NonContractualChurn | PartialChurn;

/** The definition the `churn:` section of churnwatch.yaml describes. */
export function churnDefinitionFromConfig(churn: ChurnConfig): ChurnDefinition {
  const horizon = {
    horizonDays: churn.horizon_days,
    ...(churn.active_within_days === undefined ? {} : { activeWithinDays: churn.active_within_days }),
  };
  const activity: ActivitySpec[] = churn.activity.map((a) =>
    a.source === 'events' && a.event_types
      ? { source: 'events', eventTypes: a.event_types }
      : { source: a.source },
  );
  switch (churn.kind) {
    case 'contractual':
      return { kind: 'contractual', ...horizon, activity };
    case 'non_contractual':
      return { kind: 'nonContractual', ...horizon, activity };
    case 'partial':
      return {
        kind: 'partial',
        ...horizon,
        activity,
        threshold: churn.partial_threshold ?? Number.NaN,
        ...(churn.baseline_days === undefined ? {} : { baselineDays: churn.baseline_days }),
      };
  }
}

/** Checks the numbers of a definition built in code; the error names the parameter. */
export function validateChurnDefinition(definition: ChurnDefinition): void {
  const fail = (message: string, key: string) => {
    throw new InputError(message, { key: `churn.${key}` });
  };
  const whole = (value: number | undefined, key: string) => {
    if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
      fail(`${key}=${value} must be a whole number > 0`, key);
    }
  };
  whole(definition.horizonDays, 'horizonDays');
  whole(definition.activeWithinDays, 'activeWithinDays');
  const activity = definition.activity ?? [{ source: 'transactions' }];
  if (activity.length === 0) fail('activity must name at least one source', 'activity');
  for (const spec of activity) {
    if (spec.source !== 'events' && spec.eventTypes) fail('eventTypes is for source "events"', 'activity');
    if (spec.eventTypes?.length === 0) fail('eventTypes must not be empty', 'activity');
  }
  if (definition.kind === 'partial') {
    whole(definition.baselineDays, 'baselineDays');
    if (!(definition.threshold > 0 && definition.threshold < 1)) {
      fail(`threshold=${definition.threshold} must be in (0, 1)`, 'threshold');
    }
  }
}
