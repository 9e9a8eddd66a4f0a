// Alert rules as the editor holds them (every field a string, so half-typed numbers survive) and back.

import type { AlertRule, AlertRuleKind, RuleTier } from '../api/alert-rules';

export interface RuleDraft {
  name: string;
  kind: AlertRuleKind;
  tier: 'high' | 'medium';
  firstScore: boolean;
  /** Percentage points, as typed. */
  minIncrease: string;
  minValue: string;
  /** Percent, as typed. */
  probability: string;
  tiers: RuleTier[];
  /** Comma-separated. */
  segments: string;
  quietDays: string;
}

/** A new rule's draft: enters the high tier. */
export function emptyDraft(index: number): RuleDraft {
  return {
    name: `rule-${index + 1}`,
    kind: 'enters_tier',
    tier: 'high',
    firstScore: false,
    minIncrease: '20',
    minValue: '1000',
    probability: '50',
    tiers: [],
    segments: '',
    quietDays: '',
  };
}

/** The editor's draft of a stored rule. */
export function toDraft(rule: AlertRule): RuleDraft {
  const draft = emptyDraft(0);
  draft.name = rule.name;
  draft.kind = rule.kind;
  draft.tiers = rule.tiers ?? [];
  draft.segments = (rule.segments ?? []).join(', ');
  draft.quietDays = rule.quiet_days === undefined ? '' : String(rule.quiet_days);
  if (rule.kind === 'enters_tier') {
    draft.tier = rule.tier;
    draft.firstScore = rule.first_score ?? false;
  } else if (rule.kind === 'score_jump') {
    draft.minIncrease = String(round(rule.min_increase * 100));
  } else {
    draft.minValue = String(rule.min_value);
    draft.probability = String(round(rule.probability * 100));
  }
  return draft;
}

/** The rule a draft describes; the server validates the numbers and names the field at fault. */
export function fromDraft(draft: RuleDraft): AlertRule {
  const segments = draft.segments
    .split(/[,，]/)
    .map((s) => s.trim())
    .filter(Boolean);
  const base = {
    name: draft.name.trim(),
    ...(draft.tiers.length > 0 ? { tiers: draft.tiers } : {}),
    ...(segments.length > 0 ? { segments } : {}),
    ...(draft.quietDays.trim() === '' ? {} : { quiet_days: Number(draft.quietDays) }),
  };
  switch (draft.kind) {
    case 'enters_tier':
      return { ...base, kind: 'enters_tier', tier: draft.tier, first_score: draft.firstScore };
    case 'score_jump':
      return { ...base, kind: 'score_jump', min_increase: Number(draft.minIncrease) / 100 };
    case 'high_value_threshold':
      return {
        ...base,
        kind: 'high_value_threshold',
        min_value: Number(draft.minValue),
        probability: Number(draft.probability) / 100,
      };
  }
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
