import { existsSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectConsoleErrors, launchBrowser, newMerchantContext, screenshot } from "./support/browser";
import { startTestDemo, type TestDemo } from "./support/demo";

let demo: TestDemo;
let browser: Browser;

beforeAll(async () => {
  demo = await startTestDemo({ name: "demo", emulatorPort: 4310, appPort: 3310 });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

describe("the demo's local admin", () => {
  it("lists the shop's customers with checkboxes and a More actions menu", async () => {
    const context = await newMerchantContext(browser);
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    await page.goto(demo.adminUrl);
    await expect.poll(() => page.getByRole("checkbox", { name: /^Select / }).count()).toBeGreaterThan(10);
    await page
      .getByRole("checkbox", { name: /^Select / })
      .first()
      .check();
    await page.getByRole("button", { name: "More actions" }).click();
    await expect.poll(() => page.getByRole("menuitem").first().isVisible()).toBe(true);
    await screenshot(page, "01-local-admin-customers");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("embeds the app, which renders the shop's name and account mode with no console errors", async () => {
    const context = await newMerchantContext(browser);
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    await page.goto(demo.appAdminUrl);
    const app = page.frameLocator("#app-iframe");
    await app.getByText("Legacy customer accounts", { exact: true }).waitFor({ timeout: 30_000 });
    await expect.poll(() => app.getByText(demo.shop).count()).toBeGreaterThan(0);
    // The App Bridge stand-in carried the app's TitleBar and NavMenu to the admin chrome.
    await expect.poll(() => page.locator("#app-title").textContent()).toBe("Overview");
    const path = await screenshot(page, "02-app-overview");
    expect(existsSync(path)).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("sends invites to selected customers through the real extension, the app's API and its worker", async () => {
    const context = await newMerchantContext(browser);
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    await page.goto(`${demo.adminUrl}?query=${encodeURIComponent("state:disabled")}`);
    // GIVEN a merchant who selects six customers without an account
    const boxes = page.getByRole("checkbox", { name: /^Select (?!all)/ });
    await expect.poll(() => boxes.count()).toBeGreaterThan(6);
    for (let i = 0; i < 6; i++) await boxes.nth(i).check();
    const selected: string[] = await page.evaluate("window.localAdmin.selected()");
    expect(selected).toHaveLength(6);

    // WHEN they choose More actions › Send account invites, read the dry run and send
    await page.getByRole("button", { name: "More actions" }).click();
    await page.getByRole("menuitem", { name: "Send account invites" }).click();
    const dialog = page.frameLocator('iframe[title="Send account invites"]');
    const summary = dialog.getByText(/\d+ will be invited, \d+ skipped/);
    await summary.waitFor({ timeout: 20_000 });
    const willInvite = Number(/(\d+) will be invited/.exec((await summary.textContent()) ?? "")?.[1]);
    expect(willInvite).toBeGreaterThan(0);
    await screenshot(page, "03-extension-dry-run");
    await dialog.getByRole("button", { name: new RegExp(`^Send ${willInvite} invites?$`) }).click();

    // THEN the app's worker sends them, and the extension follows its progress to the end
    await expect.poll(() => dialog.getByText("Completed").isVisible(), { timeout: 60_000 }).toBe(true);
    await screenshot(page, "04-extension-completed");
    const { emails } = (await (
      await fetch(`${demo.emulatorUrl}/__emulator/outbox?shop=${encodeURIComponent(demo.shop)}`)
    ).json()) as { emails: { customerId: string }[] };
    // Exactly one email per customer the dry run said would be invited, all of them selected ones.
    const recipients = emails.map((email) => email.customerId);
    expect(new Set(recipients).size).toBe(recipients.length);
    expect(recipients).toHaveLength(willInvite);
    for (const id of recipients)
      expect(selected.map((gid) => gid.split("/").pop())).toContain(String(id).split("/").pop());
    expect(errors).toEqual([]);
    await context.close();
  });
});
