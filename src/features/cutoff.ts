// Cutoff dates: naive timestamps, written `YYYY-MM-DD` or `YYYY-MM-DD[T ]HH:MM:SS`.

import { InputError } from '../errors.js';

const CUTOFF = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}):(\d{2}))?$/;

/** `cutoff` as `YYYY-MM-DD HH:MM:SS`; an InputError (key `cutoff`) if it is not a real date and time. */
export function normalizeCutoff(cutoff: string): string {
  const match = CUTOFF.exec(cutoff.trim());
  if (match) {
    const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0));
    const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
    if (
      date.getUTCFullYear() === year &&
      date.getUTCMonth() === month - 1 &&
      date.getUTCDate() === day &&
      hour < 24 &&
      minute < 60 &&
      second < 60
    ) {
      return date.toISOString().slice(0, 19).replace('T', ' ');
    }
  }
  throw new InputError(`cutoff "${cutoff}" is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)`, {
    key: 'cutoff',
  });
}
