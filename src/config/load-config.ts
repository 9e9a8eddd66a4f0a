// Reading churnwatch.yaml: YAML syntax errors with line and column, schema errors naming the key path
// (`sources.events.columns.ts: expected a string`), source paths resolved against the file's folder.

import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { InputError } from '../errors.js';
import { type Config, configSchema, SOURCE_KINDS } from './config-schema.js';

/** File name of the configuration inside a workspace. */
export const CONFIG_FILE = 'churnwatch.yaml';

/** Reads and validates `path`; source paths come back absolute. Throws InputError naming file and key. */
export function loadConfig(path: string): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read the configuration ${path}`, { file: path }, { cause: error });
  }
  const config = parseConfig(text, path);
  for (const kind of SOURCE_KINDS) {
    const source = config.sources[kind];
    if (source && !isAbsolute(source.path)) source.path = resolve(dirname(path), source.path);
  }
  return config;
}

/** Validates configuration text; `file` only names it in errors. */
export function parseConfig(text: string, file = CONFIG_FILE): Config {
  const document = parseDocument(text, { prettyErrors: true });
  const syntax = document.errors[0];
  if (syntax) {
    const position = syntax.linePos?.[0];
    // The line goes into `where` (printed as file:line), the column into the message.
    const at = position ? ` at column ${position.col}` : '';
    throw new InputError(`YAML syntax error${at}: ${firstLine(syntax.message)}`, {
      file,
      ...(position ? { row: position.line } : {}),
    });
  }
  const result = configSchema.safeParse(document.toJS() ?? {}, { reportInput: true });
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const key = issue.path.map(String).join('.');
  // The key path is in `where` (the CLI prints `file, key sources.events.columns.ts: expected a string`).
  throw new InputError(describeIssue(issue), { file, key: key || '(top level)' });
}

/** The yaml library's message without its position suffix and source excerpt. */
function firstLine(message: string): string {
  return message
    .split('\n')[0]!
    .replace(/ at line \d+, column \d+:?$/, '')
    .trim();
}

/** A short message for a zod issue: "expected a string", "unknown key \"tz\"". */
function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = issue.expected === 'int' ? 'whole number' : issue.expected;
      return issue.input === undefined
        ? `missing (expected ${article(expected)})`
        : `expected ${article(expected)}`;
    }
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union':
      return 'does not match any allowed form (see `churnwatch init` for an example)';
    case 'too_small':
      if (issue.origin === 'array') return `expected at least ${issue.minimum} item(s)`;
      return issue.message.startsWith('Too small')
        ? `expected a number ${issue.inclusive ? '>=' : '>'} ${issue.minimum}`
        : issue.message;
    case 'too_big':
      return issue.message.startsWith('Too big')
        ? `expected a number ${issue.inclusive ? '<=' : '<'} ${issue.maximum}`
        : issue.message;
    default:
      return issue.message;
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
