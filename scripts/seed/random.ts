/** A small seeded PRNG (mulberry32): the same seed always yields the same demo data. */
export class Random {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return at(items, Math.floor(this.next() * items.length));
  }

  /** `count` distinct items in random order (all of them when there are fewer). */
  sample<T>(items: readonly T[], count: number): T[] {
    const pool = [...items];
    const size = Math.min(count, pool.length);
    for (let i = 0; i < size; i++) {
      const j = this.int(i, pool.length - 1);
      [pool[i], pool[j]] = [at(pool, j), at(pool, i)];
    }
    return pool.slice(0, size);
  }

  /** Picks a value with probability proportional to its weight. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let remaining = this.next() * entries.reduce((sum, [, weight]) => sum + weight, 0);
    for (const [value, weight] of entries) {
      remaining -= weight;
      if (remaining < 0) return value;
    }
    return at(entries, entries.length - 1)[0];
  }

  /** A version 4 UUID drawn from this generator, so ids repeat with the seed too. */
  uuid(): string {
    const a = this.#word();
    const b = this.#word();
    const c = this.#word();
    const d = this.#word();
    const hex = (value: number, digits: number) => value.toString(16).padStart(digits, "0");
    // Version 4 in the third group, RFC 4122 variant (binary 10) in the fourth.
    return `${hex(a, 8)}-${hex(b >>> 16, 4)}-${hex(0x4000 | (b & 0x0fff), 4)}-${hex(0x8000 | ((c >>> 16) & 0x3fff), 4)}-${hex(c & 0xffff, 4)}${hex(d, 8)}`;
  }

  #word(): number {
    return Math.floor(this.next() * 4294967296);
  }
}

/** Picks from many weighted choices quickly (binary search over cumulative weights). */
export class WeightedIndex {
  #cumulative: number[] = [];

  constructor(weights: readonly number[]) {
    let total = 0;
    for (const weight of weights) this.#cumulative.push((total += weight));
  }

  pick(random: Random): number {
    const target = random.next() * (this.#cumulative.at(-1) ?? 0);
    let low = 0;
    let high = this.#cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (at(this.#cumulative, middle) > target) high = middle;
      else low = middle + 1;
    }
    return low;
  }
}

function at<T>(items: readonly T[], index: number): T {
  if (index < 0 || index >= items.length) throw new RangeError(`index ${index} outside a list of ${items.length}`);
  return items[index] as T;
}
