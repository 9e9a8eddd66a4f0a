// The alert rules (alerts.rules of churnwatch.yaml) as the API reads and writes them: keys as in the file.

import { apiRequest } from './client';

export type RuleTier = 'high' | 'medium' | 'low';

interface RuleBase {
  name: string;
  segments?: string[];
  tiers?: RuleTier[];
  reasons?: string[];
  quiet_days?: number;
}

export type AlertRule =
  | (RuleBase & { kind: 'enters_tier'; tier: 'high' | 'medium'; first_score?: boolean })
  | (RuleBase & { kind: 'score_jump'; min_increase: number })
  | (RuleBase & {
      kind: 'high_value_threshold';
      min_value: number;
      value_days?: number;
      probability: number;
    });

export type AlertRuleKind = AlertRule['kind'];
export const RULE_KINDS: readonly AlertRuleKind[] = ['enters_tier', 'score_jump', 'high_value_threshold'];

/** GET /api/alerts/rules. */
export interface AlertRules {
  rules: AlertRule[];
  /** The file names no rules: the built-in ones apply. */
  defaults: boolean;
}

/** Replaces the rules (admin, analyst); the server writes them into churnwatch.yaml. */
export function saveAlertRules(rules: AlertRule[]): Promise<AlertRules> {
  return apiRequest<AlertRules>('PUT', '/api/alerts/rules', { rules });
}
