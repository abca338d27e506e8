/**
 * Seeded randomness for the simulated organization. Everything is integer arithmetic on 32-bit
 * words (Math.imul, shifts), so a value depends only on its inputs, never on the platform, the
 * Node version or the order in which values are asked for.
 */

/** murmur3's 32-bit finalizer: a bijective avalanche of one word. */
export function fmix32(h: number): number {
  let x = h >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Combines a running hash with one more word (order matters). */
export function mix(h: number, v: number): number {
  return fmix32((Math.imul(h ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(v | 0, 0xcc9e2d51) + (h >>> 11)) | 0);
}

/** A hash of several words, e.g. (seed, stream, cluster, principal, day, hour). */
export function hashOf(...words: number[]): number {
  let h = 0x2545f491;
  for (const w of words) h = mix(h, w);
  return h;
}

/** FNV-1a of a string, finalized: turns seeds and labels into words. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** The seed word of a user seed; 42 and "42" are the same seed. */
export function seedWord(seed: number | string): number {
  return hashString(`ccost-sim:${String(seed)}`);
}

/** A uniform integer in [lo, hi] from a hash word. */
export function intIn(word: number, lo: number, hi: number): number {
  return lo + (word % (hi - lo + 1));
}

/** mulberry32: a sequential generator for building the organization's structure. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** The next 32-bit word. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** A uniform integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return intIn(this.next(), lo, hi);
  }

  /** True with probability percent/100. */
  chance(percent: number): boolean {
    return this.next() % 100 < percent;
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[this.next() % items.length]!;
  }

  /** `count` distinct lowercase base-36 characters' worth of id text. */
  base36(count: number): string {
    let out = '';
    for (let i = 0; i < count; i++) out += BASE36[this.next() % 36];
    return out;
  }

  /** `count` characters from an alphabet. */
  chars(count: number, alphabet: string): string {
    let out = '';
    for (let i = 0; i < count; i++) out += alphabet[this.next() % alphabet.length];
    return out;
  }
}

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

/** Upper-case letters and digits, the alphabet of Cloud API key ids. */
export const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Hands out ids that are unique within one organization. */
export class IdMint {
  private readonly used = new Set<string>();

  constructor(private readonly rng: Rng) {}

  /** `prefix` + `length` base-36 characters, never repeated. */
  next(prefix: string, length: number, alphabet?: string): string {
    for (;;) {
      const body = alphabet ? this.rng.chars(length, alphabet) : this.rng.base36(length);
      const id = `${prefix}${body}`;
      if (!this.used.has(id)) {
        this.used.add(id);
        return id;
      }
    }
  }
}
