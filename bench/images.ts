// `npm run bench:images`: seller photos through the built Worker in workerd (Miniflare: R2, the images
// queue and the Images binding, which runs sharp locally) against the local stack. For a 12-megapixel
// phone photo: upload-to-ready latency through the queue (p50, p95), photos per minute with several in
// flight, the Worker's CPU time and memory per photo (read from workerd's /proc entries), bytes of each
// variant against the original, and AVIF against WebP at equal quality (PSNR).
// The baseline, measured in the same run, is sharp called directly in Node on the same photo and widths.
// Not in CI: it takes a minute or two of both cores.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import sharp from "sharp";
import { migrateDatabase } from "../scripts/migrate.ts";
import { seedDatabase } from "../scripts/seed.ts";
import { projectRoot } from "../scripts/local/bin.ts";
import { startLocalStack } from "../scripts/local/stack.ts";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../scripts/seed/people.ts";
import { VARIANT_WIDTHS, WEBP_QUALITY } from "../workers/domain/media.ts";
import { signAccessToken } from "../workers/domain/tokens.ts";
import { Checks, table } from "./harness.ts";
import { buildWorker, startBenchWorker } from "./worker.ts";

const SESSION_SECRET = "bench-session-secret-bench-session-secret";
const LATENCY_PHOTOS = 8;
const THROUGHPUT_PHOTOS = 16;
/** Photos whose consumer CPU and memory are read from workerd's /proc entries, and polls to price a poll. */
const COST_PHOTOS = 8;
const POLL_BASELINE = 40;

/** A 4032x3024 phone photo with EXIF orientation 6: smooth gradients and noise, like a real scene. */
async function phonePhoto(): Promise<Buffer> {
  const width = 4032, height = 3024;
  const pixels = Buffer.alloc(width * height * 3);
  let seed = 7;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const i = (y * width + x) * 3;
      const noise = (seed >> 16) & 15;
      pixels[i] = ((x * 255) / width + noise) & 0xff;
      pixels[i + 1] = ((y * 255) / height + noise) & 0xff;
      pixels[i + 2] = (128 + 100 * Math.sin((x + y) / 90) + noise) & 0xff;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).withMetadata({ orientation: 6 }).toBuffer();
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;

/** The baseline: what sharp alone takes for the same work (orient, three widths as WebP, the tiny PNG). */
async function sharpDirect(photo: Buffer): Promise<number> {
  const started = performance.now();
  for (const width of VARIANT_WIDTHS) await sharp(photo, { autoOrient: true }).resize({ width, withoutEnlargement: true }).webp({ quality: WEBP_QUALITY }).toBuffer();
  await sharp(photo, { autoOrient: true }).resize({ width: 32 }).png().toBuffer();
  return performance.now() - started;
}

async function psnr(encoded: Buffer, reference: { data: Buffer }): Promise<number> {
  const { data } = await sharp(encoded).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let sum = 0;
  for (let i = 0; i < data.length; i++) sum += (data[i]! - reference.data[i]!) ** 2;
  return 10 * Math.log10((255 * 255) / (sum / data.length));
}

/** Per width: WebP at the pipeline's quality, and the smallest AVIF whose PSNR is at least as good. */
async function avifAgainstWebp(photo: Buffer) {
  const rows: string[][] = [];
  for (const width of VARIANT_WIDTHS) {
    const resized = sharp(photo, { autoOrient: true }).resize({ width });
    const reference = await resized.clone().raw().toBuffer({ resolveWithObject: true });
    const webp = await resized.clone().webp({ quality: WEBP_QUALITY }).toBuffer();
    const target = await psnr(webp, reference);
    let best: Buffer | undefined;
    for (let quality = 30; quality <= 90 && !best; quality += 5) {
      const avif = await resized.clone().avif({ quality }).toBuffer();
      if ((await psnr(avif, reference)) >= target) best = avif;
    }
    rows.push([`${width}`, `${webp.length}`, `${target.toFixed(1)} dB`, best ? `${best.length}` : "none", best ? (best.length / webp.length).toFixed(2) : "-"]);
  }
  return rows;
}

interface Uploader {
  upload(listing: string, photo: Buffer): Promise<string>;
  /** Polls the image's status until it is ready; `polls` counts the status requests it took. */
  ready(imageId: string): Promise<{ variants: { width: number; url: string }[]; polls: number }>;
  fetchBytes(path: string): Promise<number>;
}

/**
 * The workerd process running the bench Worker (Miniflare's child of this process), read from /proc:
 * its CPU time (user + system) and its resident memory, now and at its peak. The Images binding's
 * transforms run in this Node process (Miniflare's sharp), not there, so workerd's CPU is the Worker's
 * own work plus Miniflare's R2 and queue simulators, an upper bound on what production bills the Worker.
 */
function workerdProcess() {
  const children = readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .map((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        return { pid, comm: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")), ppid: Number(fields[1]) };
      } catch {
        return undefined; // the process ended while we listed it
      }
    })
    .filter((proc) => proc?.ppid === process.pid && proc.comm.startsWith("workerd"));
  const pid = children.at(-1)?.pid;
  if (!pid) throw new Error("no workerd child process found");
  const ticksPerMs = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" })) / 1000;
  return {
    cpuMs() {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return (Number(fields[11]) + Number(fields[12])) / ticksPerMs; // utime, stime
    },
    memoryMb() {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
      return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
    },
  };
}

/**
 * Signs the demo seller in once, then signs a fresh access token of that sign-in for each request
 * (tokens live a minute; writes check the sign-in is live, so a made-up session would not do).
 */
async function sellerSession(url: string) {
  const res = await fetch(`${url}/api/auth/login`, { method: "POST", headers: { "Content-Type": "application/json", Origin: url }, body: JSON.stringify({ email: DEMO_ACCOUNTS[1].email, password: DEMO_PASSWORD }) });
  const cookie = res.headers.getSetCookie().find((line) => line.startsWith("__Host-session="));
  if (res.status !== 200 || !cookie) throw new Error(`sign-in answered ${res.status}`);
  const claims = JSON.parse(Buffer.from(cookie.split("=")[1]!.split(";")[0]!.split(".")[1]!, "base64url").toString()) as { sub: string; sid: string };
  return async () => {
    const token = await signAccessToken(SESSION_SECRET, { userId: claims.sub, sessionId: claims.sid, roles: ["buyer", "seller"] });
    return { Cookie: `__Host-session=${token}`, Origin: url };
  };
}

function uploader(url: string, headers: () => Promise<Record<string, string>>): Uploader {
  return {
    async upload(listing, photo) {
      const res = await fetch(`${url}/api/listings/${listing}/images`, { method: "POST", body: new Uint8Array(photo), headers: { ...(await headers()), "Content-Type": "image/jpeg" } });
      if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
      return ((await res.json()) as { image: { id: string } }).image.id;
    },
    async ready(imageId) {
      for (let polls = 1; ; polls++) {
        const res = await fetch(`${url}/api/images/${imageId}`, { headers: await headers() });
        const { image } = (await res.json()) as { image: { status: string; reason: string | null; variants: { width: number; url: string }[] } };
        if (image.status === "ready") return { ...image, polls };
        if (image.status === "failed") throw new Error(`image failed: ${image.reason}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    fetchBytes: async (path) => (await (await fetch(`${url}${path}`)).arrayBuffer()).byteLength,
  };
}

/** Listings for the demo seller to add photos to (10 photos each at most): seeded ones, handed to them. */
async function demoSellerListings(databaseUrl: string, count: number): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query<{ id: string }>(
    `update listings set seller_id = (select id from users where email = $1)
     where id in (select id from listings where status <> 'deleted' order by id limit $2) returning id`,
    [DEMO_ACCOUNTS[1].email, count],
  );
  await client.end();
  return rows.map((row) => row.id);
}

/**
 * workerd's CPU per photo from the 202 to `ready` (the queue consumer's work, with the status polls'
 * CPU taken out: each poll costs what a poll of a ready image costs, measured after), and its memory.
 */
async function consumerCost(api: Uploader, listings: string[], photo: Buffer) {
  const workerd = workerdProcess();
  const before = workerd.memoryMb();
  const perPhoto: number[] = [];
  let polls = 0;
  let lastId = "";
  for (let i = 0; i < COST_PHOTOS; i++) {
    lastId = await api.upload(listings[i % listings.length]!, photo);
    const started = workerd.cpuMs();
    const ready = await api.ready(lastId);
    perPhoto.push(workerd.cpuMs() - started);
    polls += ready.polls;
  }
  const pollStarted = workerd.cpuMs();
  for (let i = 0; i < POLL_BASELINE; i++) await api.ready(lastId);
  const perPoll = (workerd.cpuMs() - pollStarted) / POLL_BASELINE;
  const consumer = perPhoto.reduce((a, b) => a + b, 0) / COST_PHOTOS - (perPoll * polls) / COST_PHOTOS;
  return { consumerCpuMs: consumer, perPoll, pollsPerPhoto: polls / COST_PHOTOS, before, after: workerd.memoryMb() };
}

async function measure(url: string, api: Uploader, listings: string[], photo: Buffer) {
  const latencies: number[] = [];
  for (let i = 0; i < LATENCY_PHOTOS; i++) {
    const started = performance.now();
    await api.ready(await api.upload(listings[i % listings.length]!, photo));
    latencies.push(performance.now() - started);
  }
  const cost = await consumerCost(api, listings, photo);
  const started = performance.now();
  const ids = await Promise.all(Array.from({ length: THROUGHPUT_PHOTOS }, (_, i) => api.upload(listings[(i + LATENCY_PHOTOS) % listings.length]!, photo)));
  const images = await Promise.all(ids.map((id) => api.ready(id)));
  const perMinute = THROUGHPUT_PHOTOS / ((performance.now() - started) / 60_000);
  const variants = await Promise.all(images[0]!.variants.map(async (v) => ({ width: v.width, bytes: await api.fetchBytes(v.url) })));
  return { latencies, perMinute, variants, cost };
}

async function run(checks: Checks, dataDir: string) {
  const stack = await startLocalStack({ dataDir, database: "bench_images", fast: true, redisUrl: process.env.REDIS_URL });
  try {
    await migrateDatabase(stack.databaseUrl);
    await seedDatabase(stack.databaseUrl, { listings: 50 });
    const listings = await demoSellerListings(stack.databaseUrl, Math.ceil((LATENCY_PHOTOS + THROUGHPUT_PHOTOS + COST_PHOTOS) / 10) + 1);
    const photo = await phonePhoto();
    const baselines: number[] = [];
    for (let i = 0; i < 3; i++) baselines.push(await sharpDirect(photo));
    const baseline = percentile(baselines, 50);
    const vars = { ...stack.workerVars, SESSION_SECRET, APP_ENV: "production", PUBLIC_ORIGIN: "https://bench.example" };
    const worker = await startBenchWorker(projectRoot, buildWorker(projectRoot, join(dataDir, "build")), vars);
    try {
      const result = await measure(worker.url, uploader(worker.url, await sellerSession(worker.url)), listings, photo);
      report(photo, baseline, result, await avifAgainstWebp(photo));
      checks.expect("every photo became ready", result.latencies.length === LATENCY_PHOTOS);
    } finally {
      await worker.dispose();
    }
  } finally {
    await stack.stop();
  }
}

function report(photo: Buffer, baseline: number, result: Awaited<ReturnType<typeof measure>>, avif: string[][]) {
  const p50 = percentile(result.latencies, 50), p95 = percentile(result.latencies, 95);
  console.log(`\n12 MP JPEG, ${photo.length} bytes; baseline: sharp in Node makes its 3 WebP widths and the tiny PNG in ${baseline.toFixed(0)} ms`);
  console.log(table(["measure", "value", "x baseline"], [
    ["upload to ready p50", `${p50.toFixed(0)} ms`, (p50 / baseline).toFixed(2)],
    ["upload to ready p95", `${p95.toFixed(0)} ms`, (p95 / baseline).toFixed(2)],
    [`photos/min, ${THROUGHPUT_PHOTOS} in flight`, result.perMinute.toFixed(1), (result.perMinute / (60_000 / baseline)).toFixed(2)],
  ]));
  const { cost } = result;
  console.log(
    `\nworkerd per photo, ${COST_PHOTOS} photos one at a time: ${cost.consumerCpuMs.toFixed(0)} ms CPU from 202 to ready ` +
      `(${cost.pollsPerPhoto.toFixed(1)} status polls at ${cost.perPoll.toFixed(1)} ms each taken out; x baseline ${(cost.consumerCpuMs / baseline).toFixed(3)})`,
  );
  console.log(
    `workerd memory: RSS ${cost.before.rss.toFixed(0)} -> ${cost.after.rss.toFixed(0)} MB, peak RSS ${cost.before.peak.toFixed(0)} -> ${cost.after.peak.toFixed(0)} MB`,
  );
  console.log(table(["variant width", "bytes", "x original"], result.variants.map((v) => [`${v.width}`, `${v.bytes}`, (v.bytes / photo.length).toFixed(4)])));
  console.log(table(["width", `WebP q${WEBP_QUALITY} bytes`, "WebP PSNR", "AVIF bytes at >= PSNR", "AVIF / WebP"], avif));
}

const checks = new Checks();
const dataDir = await mkdtemp(join(tmpdir(), "marketplace-bench-images-"));
try {
  await run(checks, dataDir);
} catch (error) {
  console.error(error);
  checks.expect(`the bench ran to its end (${error instanceof Error ? error.message : String(error)})`, false);
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
console.log(checks.summary());
process.exit(checks.failures.length > 0 ? 1 : 0);
