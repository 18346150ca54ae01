import { existsSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemo } from "../../scripts/demo.mjs";
import { collectConsoleErrors, launchBrowser, newMerchantContext, screenshot } from "./support/browser";

interface Demo {
  adminUrl: string;
  appAdminUrl: string;
  shop: string;
  stop: () => Promise<void>;
}

const database = resolve("node_modules/.cache/account-invites-test/browser-demo.sqlite");
let demo: Demo;
let browser: Browser;

beforeAll(async () => {
  rmSync(database, { force: true });
  demo = await startDemo({
    emulatorPort: 4310,
    appPort: 3310,
    customers: 300,
    database: `file:${database}`,
    build: !process.env.SKIP_BUILD,
    quiet: true,
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  rmSync(database, { force: true });
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
});
