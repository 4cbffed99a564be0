import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS } from "../../scripts/seed/people.ts";
import { PHONE, expectFits, phone, useSiteAndBrowser } from "./site.ts";

const e2e = useSiteAndBrowser({ listings: 5 });

async function signIn(context: BrowserContext, email: string, password: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${e2e.site.url}/login`);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname !== "/login");
  return page;
}

const log = (page: Page) => page.locator("#chat-log");
const bubble = (page: Page, text: string) => log(page).locator("li", { hasText: text });

async function say(page: Page, text: string) {
  await page.getByLabel("Message").fill(text);
  await page.getByRole("button", { name: "Send" }).click();
}

/** The newest message shows at the bottom of the log, which overflows, and the page itself does not scroll. */
async function expectNewestInView(page: Page, newest: string) {
  const scroller = page.locator("#chat-scroll");
  const [view, last] = await Promise.all([scroller.boundingBox(), bubble(page, newest).boundingBox()]);
  expect(await scroller.evaluate((element) => element.scrollHeight > element.clientHeight)).toBe(true);
  expect(last!.y + last!.height).toBeLessThanOrEqual(view!.y + view!.height + 1);
  expect(last!.y + last!.height).toBeGreaterThan(view!.y);
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
}

describe("chat on two phones", () => {
  it("a buyer and a seller chat live, with typing, read ticks and a dropped connection that loses nothing", async () => {
    const [buyerDemo, sellerDemo] = DEMO_ACCOUNTS;
    const buyerContext = await e2e.browser.newContext(phone);
    const sellerContext = await e2e.browser.newContext(phone);
    const buyer = await signIn(buyerContext, buyerDemo.email, buyerDemo.password);
    const seller = await signIn(sellerContext, sellerDemo.email, sellerDemo.password);

    await buyer.goto(`${e2e.site.url}/sellers/demo-seller`);
    await buyer.getByRole("link", { name: /^Contact / }).click();
    await buyer.getByRole("button", { name: "Open the conversation" }).click();
    await buyer.waitForURL(/\/messages\/[0-9a-f-]{36}$/);
    await expectFits(buyer);
    await say(buyer, "Hi! Can you do a logo by Friday?");
    await bubble(buyer, "by Friday").and(buyer.locator("[data-seq]")).waitFor();

    // The seller finds it in the inbox (written behind to Postgres) and opens it.
    await expect.poll(async () => {
      await seller.goto(`${e2e.site.url}/messages`);
      return seller.locator(".inbox__item", { hasText: "Demo Buyer" }).count();
    }, { timeout: 15_000 }).toBe(1);
    await seller.locator(".inbox__item", { hasText: "Demo Buyer" }).click();
    await bubble(seller, "by Friday").waitFor();
    await expectFits(seller);

    // Read ticks and typing travel live.
    await buyer.locator("li.msg--mine.msg--read", { hasText: "by Friday" }).waitFor();
    await seller.getByLabel("Message").pressSequentially("Sure");
    await expect.poll(() => buyer.locator("#chat-status").innerText()).toContain("typing");
    await seller.getByRole("button", { name: "Send" }).click();
    await bubble(buyer, "Sure").waitFor();

    // The buyer's network drops: what they type waits in the outbox; what the seller sends meanwhile arrives on resume.
    await buyerContext.setOffline(true);
    await expect.poll(() => buyer.locator(".chat").getAttribute("data-connection")).toBe("offline");
    await say(buyer, "Sent from a tunnel");
    await buyer.locator("li.msg--pending", { hasText: "Sent from a tunnel" }).waitFor();
    await say(seller, "Are you still there?");
    await bubble(seller, "Are you still there?").and(seller.locator("[data-seq]")).waitFor();
    await buyerContext.setOffline(false);
    await bubble(buyer, "Are you still there?").waitFor({ timeout: 40_000 });
    await bubble(seller, "Sent from a tunnel").waitFor({ timeout: 40_000 });
    await buyer.locator("li.msg--pending").waitFor({ state: "detached" });

    // Exactly once, in the same order, on both phones; text stays text.
    const order = (page: Page) => log(page).locator("li .msg__body").allInnerTexts();
    const expected = ["Hi! Can you do a logo by Friday?", "Sure", "Are you still there?", "Sent from a tunnel"];
    expect(await order(buyer)).toEqual(expected);
    expect(await order(seller)).toEqual(expected);
    await say(seller, "<b>not bold</b>");
    await bubble(buyer, "<b>not bold</b>").waitFor();
    expect(await log(buyer).locator("b").count()).toBe(0);

    // Readable without JavaScript: the history is in the HTML.
    const plain = await e2e.browser.newContext({ ...phone, javaScriptEnabled: false, storageState: await buyerContext.storageState() });
    const noScript = await plain.newPage();
    await noScript.goto(buyer.url());
    expect(await order(noScript)).toEqual([...expected, "<b>not bold</b>"]);
    await Promise.all([plain.close(), buyerContext.close(), sellerContext.close()]);
  });

  it("a file goes with a message, with progress, as a link for the other party; the seller blocks and unblocks", async () => {
    const [buyerDemo, sellerDemo] = DEMO_ACCOUNTS;
    const buyerContext = await e2e.browser.newContext(phone);
    const sellerContext = await e2e.browser.newContext(phone);
    const buyer = await signIn(buyerContext, buyerDemo.email, buyerDemo.password);
    const seller = await signIn(sellerContext, sellerDemo.email, sellerDemo.password);
    await buyer.goto(`${e2e.site.url}/sellers/demo-seller/contact`);
    await buyer.getByRole("button", { name: "Open the conversation" }).click();
    await buyer.waitForURL(/\/messages\/[0-9a-f-]{36}$/);
    await seller.goto(buyer.url());
    await expectFits(buyer);

    await buyer.locator("#chat-files").setInputFiles({ name: "brief.txt", mimeType: "text/plain", buffer: Buffer.from("the brief, in full") });
    await say(buyer, "Here is the brief");
    const link = seller.locator("li", { hasText: "Here is the brief" }).getByRole("link", { name: "brief.txt" });
    await link.waitFor();
    const file = await seller.request.get(new URL((await link.getAttribute("href"))!, e2e.site.url).href);
    expect(await file.text()).toBe("the brief, in full");
    expect(await buyer.locator("#chat-files").inputValue()).toBe("");

    await seller.getByRole("button", { name: "Block Demo Buyer" }).click();
    await seller.getByRole("button", { name: "Unblock Demo Buyer" }).waitFor();
    await say(buyer, "Hello?");
    await expect.poll(() => buyer.locator("#chat-status").innerText()).toContain("cannot send");
    await seller.getByRole("button", { name: "Unblock Demo Buyer" }).click();
    await seller.getByRole("button", { name: "Block Demo Buyer" }).waitFor();
    await Promise.all([buyerContext.close(), sellerContext.close()]);
  });

  it("opens a long conversation at its newest message, with the whole composer on the screen, with and without JavaScript", async () => {
    const buyerContext = await e2e.browser.newContext(phone);
    const buyer = await signIn(buyerContext, DEMO_ACCOUNTS[0].email, DEMO_ACCOUNTS[0].password);
    await buyer.goto(`${e2e.site.url}/sellers/demo-seller/contact`);
    await buyer.getByRole("button", { name: "Open the conversation" }).click();
    await buyer.waitForURL(/\/messages\/[0-9a-f-]{36}$/);
    for (const n of [1, 2, 3, 4]) {
      await say(buyer, `Long message ${n}: ${"more detail about the brief, ".repeat(25)}`);
      await bubble(buyer, `Long message ${n}:`).and(buyer.locator("[data-seq]")).waitFor();
    }

    await buyer.reload();
    await expectNewestInView(buyer, "Long message 4:");
    await expectFits(buyer);
    const [form, textarea, attach, send] = await Promise.all(
      [buyer.locator("#chat-form"), buyer.getByLabel("Message"), buyer.locator(".chat__attach"), buyer.getByRole("button", { name: "Send" })].map((part) => part.boundingBox()),
    );
    expect(textarea!.width).toBeGreaterThanOrEqual(form!.width - 1);
    for (const part of [textarea!, attach!, send!]) {
      expect(part.x).toBeGreaterThanOrEqual(0);
      expect(part.x + part.width).toBeLessThanOrEqual(PHONE.width);
      expect(part.y + part.height).toBeLessThanOrEqual(PHONE.height);
    }

    const plain = await e2e.browser.newContext({ ...phone, javaScriptEnabled: false, storageState: await buyerContext.storageState() });
    const noScript = await plain.newPage();
    await noScript.goto(buyer.url());
    await expectNewestInView(noScript, "Long message 4:");
    await Promise.all([plain.close(), buyerContext.close()]);
  });
});
