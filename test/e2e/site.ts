import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import pg from "pg";
import { afterAll, beforeAll, expect, inject } from "vitest";
import { migrateDatabase } from "../../scripts/migrate.ts";
import { seedDatabase } from "../../scripts/seed.ts";
import { startWorkerDev } from "../../scripts/local/wrangler-dev.ts";

export const PHONE = { width: 390, height: 844 };

/** Browser context options for a phone: its viewport, a retina screen and touch. */
export const phone = { viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

/** Nothing wider than the phone: no sideways scrolling. */
export async function expectFits(page: Page) {
  const { width, widest } = await page.evaluate((limit) => {
    // The innermost elements that reach past the screen's edge, named so a failure says what to fix.
    const over = [...document.body.querySelectorAll("*")].filter((element) => element.getBoundingClientRect().right > limit);
    const leaves = over.filter((element) => !over.some((other) => other !== element && element.contains(other)));
    const name = (element: Element) => `${element.tagName.toLowerCase()}${element.className ? "." + String(element.className).split(" ").join(".") : ""}`;
    return { width: document.documentElement.scrollWidth, widest: leaves.slice(0, 5).map(name).join(", ") };
  }, PHONE.width);
  expect(width, `${page.url()}: ${widest}`).toBeLessThanOrEqual(PHONE.width);
}

export interface Site {
  url: string;
  databaseUrl: string;
  close(): Promise<void>;
}

/**
 * The site as `npm run dev` runs it (wrangler dev against the run's stack), on its own freshly
 * migrated and seeded database so browser tests see realistic pages.
 */
export async function startSite(options: { listings?: number } = {}): Promise<Site> {
  const vars = inject("workerVars");
  const name = `e2e_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: vars.DATABASE_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(vars.DATABASE_URL!);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  await migrateDatabase(databaseUrl);
  await seedDatabase(databaseUrl, { listings: options.listings ?? 60 });
  const persistTo = await mkdtemp(join(tmpdir(), "marketplace-e2e-"));
  const worker = await startWorkerDev({ vars: { ...vars, DATABASE_URL: databaseUrl }, persistTo, output: "ignore" });
  return {
    url: worker.url,
    databaseUrl,
    async close() {
      await worker.stop();
      await rm(persistTo, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium, headless; the flags keep it from calling out to a network this machine does not have. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
}

/**
 * A test file's site and browser: started before its tests (with `prepare` run on the site, e.g. to
 * build data the seed leaves out), closed after them. Read `site` and `browser` inside tests and hooks.
 */
export function useSiteAndBrowser(options: { listings?: number; prepare?: (site: Site) => Promise<void> } = {}) {
  const started: { site?: Site; browser?: Browser } = {};
  beforeAll(async () => {
    [started.site, started.browser] = await Promise.all([startSite({ listings: options.listings }), launchBrowser(), mkdir("test-results", { recursive: true })]);
    await options.prepare?.(started.site);
  });
  afterAll(async () => {
    await started.browser?.close();
    await started.site?.close();
  });
  return {
    get site(): Site {
      if (!started.site) throw new Error("the site starts in beforeAll: read it inside a test or hook");
      return started.site;
    },
    get browser(): Browser {
      if (!started.browser) throw new Error("the browser starts in beforeAll: read it inside a test or hook");
      return started.browser;
    },
  };
}
