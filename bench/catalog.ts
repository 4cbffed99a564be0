// Catalog reads at scale: each cache level on its own, cold database reads, and what caching saves under
// a Zipf-distributed load (a few listings are very popular, most are rarely read).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { percentile, timeRequest } from "./harness.ts";

/** A deterministic PRNG, so two runs draw the same sample. */
function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` listing paths drawn with Zipf popularity (exponent `s`) over every slug. Which listing holds
 * which rank is shuffled once (the same for every sample, so a warm-up and a measurement agree on what
 * is popular), so popularity has nothing to do with age or category; `seed` only varies the draws.
 */
export function zipfPaths(slugs: string[], count: number, s: number, seed: number): string[] {
  const shuffle = mulberry32(0x5eed);
  const random = mulberry32(seed);
  const ranked = [...slugs];
  for (let i = ranked.length - 1; i > 0; i--) {
    const j = Math.floor(shuffle() * (i + 1));
    [ranked[i], ranked[j]] = [ranked[j]!, ranked[i]!];
  }
  const cumulative = new Float64Array(ranked.length);
  let total = 0;
  for (let k = 0; k < ranked.length; k++) cumulative[k] = total += 1 / (k + 1) ** s;
  return Array.from({ length: count }, () => {
    const target = random() * total;
    let low = 0;
    let high = ranked.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (cumulative[mid]! < target) low = mid + 1;
      else high = mid;
    }
    return `/api/listings/${ranked[low]}`;
  });
}

export function writePaths(dir: string, name: string, paths: string[]): string {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(paths));
  return file;
}

/** Sequential reads of listings nobody read before (signed in): the edge and Redis are both cold for each. */
export async function coldReads(url: string, slugs: string[], headers: Record<string, string>) {
  const times: number[] = [];
  for (const slug of slugs) {
    const { ms, status } = await timeRequest(`${url}/api/listings/${slug}`, { headers });
    if (status !== 200) throw new Error(`cold read of ${slug} answered ${status}`);
    times.push(ms);
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99), count: times.length };
}
