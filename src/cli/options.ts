// Parsing and checking of command-line option values; a bad value is an InputError naming the option.

import { InputError } from '../errors.js';

/** Parses an integer option within [min, max]. */
export function intOption(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (text: string): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new InputError(`must be an integer in [${min}, ${max}], got "${text}"`, { key: name });
    }
    return value;
  };
}

/** Parses a fraction option in the interval (low, high) or [low, high) when `lowInclusive`. */
export function fractionOption(name: string, lowInclusive: boolean) {
  return (text: string): number => {
    const value = Number(text);
    const ok = Number.isFinite(value) && (lowInclusive ? value >= 0 : value > 0) && value < 1;
    if (!ok) {
      throw new InputError(`must be a number in ${lowInclusive ? '[0' : '(0'}, 1), got "${text}"`, {
        key: name,
      });
    }
    return value;
  };
}

/** Parses a positive number option. */
export function positiveOption(name: string) {
  return (text: string): number => {
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0) {
      throw new InputError(`must be a positive number, got "${text}"`, { key: name });
    }
    return value;
  };
}

/** Splits a comma-separated list, dropping blanks. */
export function listOption(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Parses a choice among fixed values. */
export function choiceOption<T extends string>(name: string, choices: readonly T[]) {
  return (text: string): T => {
    if (!choices.includes(text as T)) {
      throw new InputError(`must be one of ${choices.join(', ')}, got "${text}"`, { key: name });
    }
    return text as T;
  };
}
