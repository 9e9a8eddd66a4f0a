// The simulated period as day numbers (day 0 = the first simulated day, midnight UTC) and times as seconds
// since day 0's midnight; turns them into `YYYY-MM-DD HH:MM:SS` text fast (one cached prefix per day).

export const SECONDS_PER_DAY = 86_400;
const DAY_MS = 86_400_000;

/** `HH:MM:SS` for every second of a day, built once on first use. */
let timesOfDay: string[] | undefined;

function timeOfDay(second: number): string {
  if (!timesOfDay) {
    timesOfDay = new Array<string>(SECONDS_PER_DAY);
    for (let s = 0; s < SECONDS_PER_DAY; s++) {
      const hh = Math.floor(s / 3600);
      const mm = Math.floor((s % 3600) / 60);
      const ss = s % 60;
      timesOfDay[s] = `${pad2(hh)}:${pad2(mm)}:${pad2(ss)}`;
    }
  }
  return timesOfDay[second]!;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `YYYY-MM-DD` of a UTC time in milliseconds. */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Milliseconds of midnight UTC of `YYYY-MM-DD`; a RangeError naming `name` when it is not a real date. */
export function parseIsoDay(text: string, name: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  if (!match || Number.isNaN(ms) || isoDay(ms) !== text) {
    throw new RangeError(`${name}=${JSON.stringify(text)} must be a date YYYY-MM-DD`);
  }
  return ms;
}

/** Days from the first day of the month `months - 1` months before `end`'s month through `end`. */
export class Calendar {
  /** Milliseconds of day 0's midnight (UTC). */
  readonly startMs: number;
  /** Number of simulated days; the last is `end`. */
  readonly days: number;
  /** Per day: 0 = Sunday … 6 = Saturday. */
  readonly weekday: Uint8Array;
  /** Per day: 1 … 31. */
  readonly dayOfMonth: Uint8Array;
  /** Per day: 0 = January … 11 = December. */
  readonly month: Uint8Array;
  /** Day numbers of the first day of each calendar month in the period, ascending (the first is 0). */
  readonly monthStarts: Int32Array;
  /** Per day: the index into monthStarts of its month. */
  readonly monthIndex: Uint16Array;
  private readonly prefixes: string[];

  constructor(end: string, months: number) {
    const endMs = parseIsoDay(end, 'end');
    const endDate = new Date(endMs);
    this.startMs = Date.UTC(endDate.getUTCFullYear(), endDate.getUTCMonth() - (months - 1), 1);
    this.days = Math.round((endMs - this.startMs) / DAY_MS) + 1;
    this.weekday = new Uint8Array(this.days);
    this.dayOfMonth = new Uint8Array(this.days);
    this.month = new Uint8Array(this.days);
    this.monthIndex = new Uint16Array(this.days);
    this.prefixes = new Array<string>(this.days);
    const starts: number[] = [];
    for (let d = 0; d < this.days; d++) {
      const date = new Date(this.startMs + d * DAY_MS);
      this.weekday[d] = date.getUTCDay();
      this.dayOfMonth[d] = date.getUTCDate();
      this.month[d] = date.getUTCMonth();
      this.prefixes[d] = `${date.toISOString().slice(0, 10)} `;
      if (date.getUTCDate() === 1) starts.push(d);
      this.monthIndex[d] = starts.length - 1;
    }
    this.monthStarts = Int32Array.from(starts);
  }

  /** `YYYY-MM-DD HH:MM:SS` of a whole number of seconds since day 0's midnight (any sign, any range). */
  timestamp(second: number): string {
    const day = Math.floor(second / SECONDS_PER_DAY);
    const prefix =
      day >= 0 && day < this.days ? this.prefixes[day]! : `${isoDay(this.startMs + day * DAY_MS)} `;
    return prefix + timeOfDay(second - day * SECONDS_PER_DAY);
  }

  /** `YYYY-MM-DD` of a day number. */
  date(day: number): string {
    return day >= 0 && day < this.days
      ? this.prefixes[day]!.slice(0, 10)
      : isoDay(this.startMs + day * DAY_MS);
  }

  /** Day of the month 1 … 31 of any day number (also before or after the period). */
  dayOfMonthOf(day: number): number {
    return day >= 0 && day < this.days
      ? this.dayOfMonth[day]!
      : new Date(this.startMs + day * DAY_MS).getUTCDate();
  }
}
