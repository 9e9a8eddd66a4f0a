// The strategy edit form's state as the inputs hold it (text), to and from a strategy's fields, and which
// field a server error's `where` names (`body.fields.unitCost`, `body.conditions.minValue` → that input).

import type {
  ActionKind,
  CauseTag,
  Channel,
  Parameters,
  ParameterValue,
  Strategy,
  StrategyFields,
} from '../api/retention-types';
import type { Tier } from '../api/types';

/** The form's inputs. Numbers stay text so that what the user typed is sent as typed. */
export interface StrategyDraft {
  nameEn: string;
  nameZh: string;
  tiers: Tier[];
  segments: string[];
  causes: CauseTag[];
  minValue: string;
  maxValue: string;
  actionKind: ActionKind;
  channel: Channel;
  unitCost: string;
  /** In percent (15 for a 15% save rate). */
  savePrior: string;
  /** One `name = value` a line. */
  parameters: string;
  budget: string;
  priority: string;
}

/** The inputs an error can be shown next to. */
export const FORM_FIELDS = [
  'name.en',
  'name.zh-CN',
  'conditions.tiers',
  'conditions.segments',
  'conditions.causes',
  'conditions.minValue',
  'conditions.maxValue',
  'actionKind',
  'channel',
  'unitCost',
  'savePrior',
  'parameters',
  'budget',
  'priority',
] as const;
export type FormField = (typeof FORM_FIELDS)[number];

/** The draft of an existing strategy. */
export function draftOf(strategy: Strategy): StrategyDraft {
  const c = strategy.conditions;
  return {
    nameEn: strategy.name.en,
    nameZh: strategy.name['zh-CN'],
    tiers: c.tiers ?? [],
    segments: c.segments ?? [],
    causes: c.causes ?? [],
    minValue: c.minValue === undefined ? '' : String(c.minValue),
    maxValue: c.maxValue === undefined ? '' : String(c.maxValue),
    actionKind: strategy.actionKind,
    channel: strategy.channel,
    unitCost: String(strategy.unitCost),
    savePrior: String(Math.round(strategy.savePrior * 10000) / 100),
    parameters: Object.entries(strategy.parameters)
      .map(([key, value]) => `${key} = ${String(value)}`)
      .join('\n'),
    budget: strategy.budget === null ? '' : String(strategy.budget),
    priority: String(strategy.priority),
  };
}

/** A problem found before sending: the field and what is wrong (a message key's suffix). */
export interface DraftProblem {
  field: FormField;
  problem: 'parameterLine' | 'notANumber';
}

/** The fields to send, or the first problem the form itself can see (the server checks the rest). */
export function fieldsOf(draft: StrategyDraft): { fields: Partial<StrategyFields> } | DraftProblem {
  const parameters = parseParameters(draft.parameters);
  if (parameters === null) return { field: 'parameters', problem: 'parameterLine' };
  const numbers: [FormField, string, boolean][] = [
    ['conditions.minValue', draft.minValue, true],
    ['conditions.maxValue', draft.maxValue, true],
    ['unitCost', draft.unitCost, false],
    ['savePrior', draft.savePrior, false],
    ['budget', draft.budget, true],
    ['priority', draft.priority, false],
  ];
  for (const [field, text, optional] of numbers) {
    if (text.trim() === '' && optional) continue;
    if (!Number.isFinite(Number(text)) || text.trim() === '') return { field, problem: 'notANumber' };
  }
  const optionalNumber = (text: string) => (text.trim() === '' ? undefined : Number(text));
  const conditions: StrategyFields['conditions'] = {};
  if (draft.tiers.length > 0) conditions.tiers = draft.tiers;
  if (draft.segments.length > 0) conditions.segments = draft.segments;
  if (draft.causes.length > 0) conditions.causes = draft.causes;
  const minValue = optionalNumber(draft.minValue);
  const maxValue = optionalNumber(draft.maxValue);
  if (minValue !== undefined) conditions.minValue = minValue;
  if (maxValue !== undefined) conditions.maxValue = maxValue;
  return {
    fields: {
      name: { en: draft.nameEn.trim(), 'zh-CN': draft.nameZh.trim() },
      conditions,
      actionKind: draft.actionKind,
      channel: draft.channel,
      unitCost: Number(draft.unitCost),
      savePrior: Number(draft.savePrior) / 100,
      parameters,
      budget: optionalNumber(draft.budget) ?? null,
      priority: Number(draft.priority),
    },
  };
}

/** `name = value` lines as parameters (numbers and true/false typed); null when a line has no `=`. */
export function parseParameters(text: string): Parameters | null {
  const parameters: Parameters = {};
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const at = line.indexOf('=');
    if (at < 1) return null;
    parameters[line.slice(0, at).trim()] = parameterValue(line.slice(at + 1).trim());
  }
  return parameters;
}

function parameterValue(text: string): ParameterValue {
  if (text === 'true' || text === 'false') return text === 'true';
  return text !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
}

/** The input a server error's `where` names, or null when it names none of them. */
export function fieldAt(where: string | null): FormField | null {
  if (where === null) return null;
  const parts = where
    .replace(/^body\./, '')
    .replace(/^fields\./, '')
    .split(/[.[\]]/)
    .filter((part) => part !== '');
  const [first, second] = parts;
  const nested = `${first}.${second}`;
  if ((FORM_FIELDS as readonly string[]).includes(nested)) return nested as FormField;
  if (first === 'conditions') return 'conditions.tiers';
  return (FORM_FIELDS as readonly string[]).includes(first ?? '') ? (first as FormField) : null;
}
