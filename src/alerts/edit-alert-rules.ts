// Alert rules edited from the dashboard are written back to churnwatch.yaml, so the file stays the one place
// rules live (the CLI, the scoring runs and the server all read it). Only `alerts.rules` is replaced; the rest
// of the file — comments, order, formatting — is kept, and the whole file must still validate before it is
// written (a channel may name a rule: deleting that rule is refused). The write is atomic (temp + rename).

import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { CONFIG_FILE, parseConfig } from '../config/load-config.js';
import { InputError } from '../errors.js';
import type { AlertRule } from './alerts-config.js';

export interface AlertRules {
  rules: AlertRule[];
  /** True when the file has no `alerts.rules` and the built-in default rules apply. */
  defaults: boolean;
}

/** The alert rules of the workspace's churnwatch.yaml (InputError naming the file when it is missing). */
export function readAlertRules(workspace: string): AlertRules {
  const path = join(workspace, CONFIG_FILE);
  const text = readConfigText(path);
  const config = parseConfig(text, path);
  const written = parseDocument(text).getIn(['alerts', 'rules']);
  return { rules: config.alerts.rules, defaults: written === undefined };
}

/**
 * Replaces `alerts.rules` in the workspace's churnwatch.yaml with `rules`; returns the rules before and after
 * (defaults applied). InputError naming the key when the resulting file would not validate; nothing written.
 */
export function saveAlertRules(
  workspace: string,
  rules: readonly AlertRule[],
): { before: AlertRule[]; after: AlertRule[] } {
  const path = join(workspace, CONFIG_FILE);
  const text = readConfigText(path);
  const before = parseConfig(text, path).alerts.rules;
  const document = parseDocument(text);
  if (!document.has('alerts')) document.set('alerts', document.createNode({}));
  document.setIn(['alerts', 'rules'], document.createNode(rules.map(definedKeys)));
  // No folding: a long flow mapping elsewhere in the file stays on its line.
  const next = document.toString({ lineWidth: 0 });
  const after = parseConfig(next, path).alerts.rules;
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, next);
  renameSync(temporary, path);
  return { before, after };
}

function readConfigText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(
      'the workspace has no churnwatch.yaml: alert rules live there',
      { file: path },
      {
        cause: error,
      },
    );
  }
}

/** A rule as a person writes it: name and kind first, then the keys that have a value. */
function definedKeys(rule: AlertRule): Record<string, unknown> {
  const { name, kind, ...rest } = rule;
  return {
    name,
    kind,
    ...Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)),
  };
}
