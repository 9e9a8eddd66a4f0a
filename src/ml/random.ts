// Seeded pseudo-random numbers for the learning core: xoshiro128** seeded through splitmix64, plus
// shuffles, sampling without replacement and bootstrap counts. Same seed and stream, same numbers.

/** splitmix64 (Vigna, prng.di.unimi.it/splitmix64.c): one step, returns [next state, output]. */
function splitmix64(state: bigint): [bigint, bigint] {
  const next = BigInt.asUintN(64, state + 0x9e3779b97f4a7c15n);
  let z = next;
  z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
  z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
  return [next, z ^ (z >> 31n)];
}

/**
 * xoshiro128** 1.1 (Blackman & Vigna, "Scrambled linear pseudorandom number generators", ACM TOMS 2021;
 * reference at prng.di.unimi.it/xoshiro128starstar.c): 128 bits of state, 32-bit outputs.
 * The state is filled from splitmix64 as the authors recommend, from `seed` and a `stream` number, so
 * `new Random(seed, t)` gives tree t its own sequence whatever order the trees are built in.
 */
export class Random {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;

  constructor(seed: number, stream = 0) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed=${seed} must be a safe integer`);
    if (!Number.isSafeInteger(stream)) throw new RangeError(`stream=${stream} must be a safe integer`);
    let state = BigInt.asUintN(64, BigInt(seed));
    let out: bigint;
    [state, out] = splitmix64(state);
    // Mix the stream in through a second splitmix64 chain so nearby (seed, stream) pairs are unrelated.
    state = BigInt.asUintN(64, out ^ BigInt.asUintN(64, BigInt(stream) * 0xd1342543de82ef95n));
    [state, out] = splitmix64(state);
    this.s0 = Number(out & 0xffffffffn);
    this.s1 = Number(out >> 32n);
    [state, out] = splitmix64(state);
    this.s2 = Number(out & 0xffffffffn);
    this.s3 = Number(out >> 32n);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is a fixed point
  }

  /** A generator in the given raw state (for known-answer tests against the reference C code). */
  static fromState(s0: number, s1: number, s2: number, s3: number): Random {
    const random = new Random(0);
    random.s0 = s0 | 0;
    random.s1 = s1 | 0;
    random.s2 = s2 | 0;
    random.s3 = s3 | 0;
    return random;
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  next(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** Uniform integer in [0, n) for 1 <= n <= 2^32 (bias below 2^-21, from the 53-bit double). */
  nextInt(n: number): number {
    return Math.floor(this.next() * n);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Fisher–Yates shuffle of `values` in place (Knuth, TAOCP vol. 2, 3.4.2, Algorithm P). */
export function shuffle<T extends { length: number; [i: number]: number }>(values: T, random: Random): T {
  for (let i = values.length - 1; i > 0; i--) {
    const j = random.nextInt(i + 1);
    const v = values[i];
    values[i] = values[j];
    values[j] = v;
  }
  return values;
}

/**
 * `k` distinct integers from [0, n), ascending: selection sampling (Knuth, TAOCP vol. 2, 3.4.2,
 * Algorithm S), O(n) time, one uniform draw per candidate.
 */
export function sampleWithoutReplacement(n: number, k: number, random: Random): Uint32Array {
  if (!(k >= 0 && k <= n)) throw new RangeError(`k=${k} must be between 0 and n=${n}`);
  const out = new Uint32Array(k);
  let chosen = 0;
  for (let i = 0; i < n && chosen < k; i++) {
    if ((n - i) * random.next() < k - chosen) out[chosen++] = i;
  }
  return out;
}

/** How many times each of `n` items is drawn in `n` draws with replacement (a bootstrap sample). */
export function bootstrapCounts(n: number, random: Random, draws = n): Uint32Array {
  const counts = new Uint32Array(n);
  for (let d = 0; d < draws; d++) counts[random.nextInt(n)]++;
  return counts;
}
