// Counts the distinct values of a number column and finds the most frequent ones, with an open-addressing hash
// table on the doubles' bits: a Map of 1M keys per column is what made inference slow.

/** A distinct value, how many cells hold it and the first row holding it. */
export interface NumberCount {
  value: number;
  count: number;
  first: number;
}

/** Summary of the numbers of a column (NaN cells and skipped rows left out). */
export interface NumberTally {
  /** Cells counted. */
  cells: number;
  distinct: number;
  /** Every counted value is a whole number. */
  integer: boolean;
  /** Up to `topN` values, most frequent first, ties in order of first appearance. */
  top: NumberCount[];
}

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

/** Values per partition aimed at: a partition's hash table (16 bytes a slot, half full) stays in the L2 cache. */
const PARTITION_VALUES = 8192;

/**
 * Tallies `numbers`, leaving out NaN and the rows listed in `skip` (ascending). Values are told apart by
 * `===`, so +0 and -0 count as one (the reader never stores -0 outside `skip`).
 *
 * One hash table for a million values misses the cache on nearly every probe, so the values are first
 * scattered by the top bits of their hash into partitions (in row order), then each partition is counted
 * with a small table, indexed by the low bits:
 *
 *   hash(x) = [ partition bits | ... | slot bits ]
 *   numbers ──scatter──▶ part 0 │ part 1 │ ... │ part P-1 ──each──▶ table: [key, count, key, count, ...]
 */
export function tallyNumbers(numbers: Float64Array, skip: Uint32Array, topN: number): NumberTally {
  const n = numbers.length;
  const hashes = new Int32Array(n);
  let partitionBits = 0;
  while (partitionBits < 12 && n >> partitionBits > PARTITION_VALUES) partitionBits++;
  const shift = 32 - partitionBits;
  const sizes = new Int32Array((1 << partitionBits) + 1);
  let k = 0;
  let cells = 0;
  for (let i = 0; i < n; i++) {
    const x = numbers[i];
    const skipped = k < skip.length && skip[k] === i;
    if (skipped) k++;
    if (skipped || Number.isNaN(x)) {
      hashes[i] = -1; // an exception, or missing
      continue;
    }
    const h = hashOf(x);
    hashes[i] = h;
    sizes[partitionBits === 0 ? 0 : h >>> shift]++;
    cells++;
  }
  // Partition starts; then scatter values and their rows.
  const starts = new Int32Array(sizes.length);
  for (let p = 1; p < sizes.length; p++) starts[p] = starts[p - 1] + sizes[p - 1];
  const next = starts.slice();
  const values = new Float64Array(cells);
  const rows = new Uint32Array(cells);
  const partHashes = new Int32Array(cells);
  for (let i = 0; i < n; i++) {
    const h = hashes[i];
    if (h === -1) continue;
    const at = next[partitionBits === 0 ? 0 : h >>> shift]++;
    values[at] = numbers[i];
    rows[at] = i;
    partHashes[at] = h;
  }

  let largest = 1;
  for (let p = 0; p + 1 < sizes.length; p++) largest = Math.max(largest, sizes[p]);
  let size = 16;
  while (size < 2 * largest) size *= 2;
  const table = new Float64Array(2 * size);
  const firsts = new Uint32Array(size);
  const stats = { distinct: 0, integer: true };
  const candidates: NumberCount[] = [];
  for (let p = 0; p + 1 < sizes.length; p++) {
    const from = starts[p];
    const to = from + sizes[p];
    if (to > from) countPartition(values, rows, partHashes, from, to, table, firsts, stats, topN, candidates);
  }
  candidates.sort(byCountThenFirst);
  return { cells, distinct: stats.distinct, integer: stats.integer, top: candidates.slice(0, topN) };
}

/** Hash of a double's bits: any Int32 but -1, which marks a row without a value. */
function hashOf(x: number): number {
  bits[0] = x === 0 ? 0 : x;
  let h = Math.imul(words[0] ^ Math.imul(words[1], 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h === -1 ? 0 : h;
}

function byCountThenFirst(a: NumberCount, b: NumberCount): number {
  return b.count - a.count || a.first - b.first;
}

/**
 * Counts values[from..to) (one partition, in row order, with their rows and hashes) into the cleared `table`;
 * adds the partition's distinct values to `stats` and its `topN` most frequent values (ties: first appearance)
 * to `candidates`. The values counted more than once are ranked as their counts grow, so the table is never
 * scanned; the rest of the top are the partition's first values counted once.
 */
function countPartition(
  values: Float64Array,
  rows: Uint32Array,
  hashes: Int32Array,
  from: number,
  to: number,
  table: Float64Array,
  firsts: Uint32Array,
  stats: { distinct: number; integer: boolean },
  topN: number,
  candidates: NumberCount[],
): void {
  let size = 16;
  while (size < 2 * (to - from)) size *= 2;
  const mask = size - 1;
  table.fill(0, 0, 2 * size);
  let distinct = 0;
  const top: NumberCount[] = []; // values counted twice or more, by count then first appearance
  for (let a = from; a < to; a++) {
    const x = values[a];
    let slot = hashes[a] & mask;
    for (;;) {
      const count = table[2 * slot + 1];
      if (count === 0) {
        table[2 * slot] = x;
        table[2 * slot + 1] = 1;
        firsts[slot] = rows[a];
        distinct++;
        if (stats.integer && !Number.isInteger(x)) stats.integer = false;
        break;
      }
      if (table[2 * slot] === x) {
        table[2 * slot + 1] = count + 1;
        if (topN > 0) rank(top, topN, x, count + 1, firsts[slot]);
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  stats.distinct += distinct;
  for (let a = from; a < to && top.length < topN; a++) {
    const x = values[a];
    if (countIn(table, mask, hashes[a], x) === 1) top.push({ value: x, count: 1, first: rows[a] });
  }
  candidates.push(...top);
}

/** Puts `value`, now counted `count` times, in its place in `top` (at most `topN` entries, best first). */
function rank(top: NumberCount[], topN: number, value: number, count: number, first: number): void {
  let p = top.findIndex((e) => e.value === value);
  if (p < 0) {
    if (top.length === topN) {
      const last = top[topN - 1];
      if (count < last.count || (count === last.count && first > last.first)) return;
      top.pop();
    }
    p = top.push({ value, count, first }) - 1;
  } else top[p].count = count;
  const entry = top[p];
  while (p > 0 && byCountThenFirst(entry, top[p - 1]) < 0) {
    top[p] = top[p - 1];
    p--;
  }
  top[p] = entry;
}

function countIn(table: Float64Array, mask: number, hash: number, x: number): number {
  let slot = hash & mask;
  while (table[2 * slot] !== x || table[2 * slot + 1] === 0) slot = (slot + 1) & mask;
  return table[2 * slot + 1];
}
