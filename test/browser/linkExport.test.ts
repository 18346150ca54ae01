import { readFileSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectConsoleErrors, launchBrowser, newMerchantContext, screenshot } from "./support/browser";
import { startTestDemo, type TestDemo } from "./support/demo";

// Activation links from the customer list, as a merchant gets them in the demo's local admin: select
// customers → More actions › Get activation links (the real built extension) → its progress while the
// app's worker issues the links → the hand-over to the app's Activation links page (an `app:` link) →
// the download there. The file holds one working link per eligible customer, each the link the emulator
// honours now. Screenshots: test-output/screenshots/links-NN-*.png. Any console error fails.

let demo: TestDemo;
let browser: Browser;

beforeAll(async () => {
  demo = await startTestDemo({ name: "links", emulatorPort: 4330, appPort: 3330 });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

async function emulatorJson<T>(path: string): Promise<T> {
  return (await (await fetch(`${demo.emulatorUrl}/__emulator/${path}`)).json()) as T;
}

describe("activation links from the customer list", () => {
  it("selects customers, gets their links through the extension, and downloads them in the app", async () => {
    const context = await newMerchantContext(browser);
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    await page.emulateMedia({ reducedMotion: "reduce" });
    await page.goto(demo.adminUrl);

    // GIVEN a merchant who selects eight customers, some of whom already have an account
    const { customers } = await emulatorJson<{ customers: { id: string; state: string }[] }>(
      `customers?shop=${encodeURIComponent(demo.shop)}&limit=1000`,
    );
    const stateOf = new Map(customers.map((c) => [c.id, c.state]));
    const boxes = page.getByRole("checkbox", { name: /^Select (?!all)/ });
    await expect.poll(() => boxes.count()).toBeGreaterThan(10);
    let picked = 0;
    let ineligible = 0;
    for (let i = 0; picked < 8 && i < (await boxes.count()); i++) {
      const state = stateOf.get((await boxes.nth(i).getAttribute("value")) ?? "");
      const canHave = state === "DISABLED" || state === "INVITED";
      if (!canHave && ineligible >= 2) continue;
      if (!canHave) ineligible++;
      await boxes.nth(i).check();
      picked++;
    }
    const selected: string[] = await page.evaluate("window.localAdmin.selected()");
    const eligible = selected.filter((id) => ["DISABLED", "INVITED"].includes(stateOf.get(id) ?? ""));
    expect(eligible.length).toBeGreaterThan(0);

    // WHEN they choose More actions › Get activation links and start it
    await page.getByRole("button", { name: "More actions" }).click();
    await page.getByRole("menuitem", { name: "Get activation links" }).click();
    const dialog = page.frameLocator('iframe[title="Get activation links"]');
    await dialog.getByText(`${selected.length} customers selected`).waitFor({ timeout: 20_000 });
    await dialog.getByRole("checkbox", { name: "Replace links issued in the last 30 days" }).waitFor();
    await screenshot(page, "links-01-extension-start");
    await dialog.getByRole("button", { name: `Get ${selected.length} links` }).click();

    // THEN the dialog follows the export while the app's worker issues the links
    await dialog
      .getByText(new RegExp(`issued, \\d+ skipped, \\d+ failed, of ${selected.length}`))
      .first()
      .waitFor({ timeout: 20_000 });
    await dialog.getByText("Your links are ready").waitFor({ timeout: 60_000 });
    await expect
      .poll(() => dialog.getByText(`${eligible.length} issued, 0 skipped,`, { exact: false }).count())
      .toBeGreaterThan(0);
    await screenshot(page, "links-02-extension-ready");

    // AND hands over to the app's Activation links page for the download
    await dialog.getByRole("button", { name: "Download in Account Invites" }).click();
    await expect
      .poll(() => page.url(), { timeout: 20_000 })
      .toMatch(/\/apps\/account-invites\/links\?export=/);
    const app = page.frameLocator("#app-iframe");
    await app.getByText("Ready to download").first().waitFor({ timeout: 30_000 });
    // Hydrated (the page was loaded in full by the hand-over): the ids field has become multiline.
    await app
      .getByRole("textbox", { name: "Customer ids" })
      .and(app.locator("textarea"))
      .waitFor({ timeout: 30_000 });
    await screenshot(page, "links-03-app-ready");
    const [download] = await Promise.all([
      page.waitForEvent("download", { timeout: 30_000 }),
      app.getByRole("button", { name: "Download CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^activation-links-.*\.csv$/);
    const rows = readFileSync((await download.path()) ?? "", "utf8")
      .trim()
      .split("\r\n")
      .slice(1)
      .map((line) => line.split(","));
    await app.getByText(/Downloaded; the app deleted the links/).waitFor({ timeout: 20_000 });
    await screenshot(page, "links-04-app-downloaded");

    // THEN the file holds one link per eligible customer, each the one the emulator honours now
    const { links } = await emulatorJson<{
      links: { customerId: string; kind: string; url: string; status: string }[];
    }>(`links?shop=${encodeURIComponent(demo.shop)}`);
    const active = new Map(
      links
        .filter((link) => link.kind === "activation" && link.status === "active")
        .map((link) => [link.customerId, link.url]),
    );
    const issued = rows.filter((row) => row[1] === "issued");
    expect(issued.map((row) => row[0]).sort()).toEqual([...eligible].sort());
    for (const [customerId, , url] of issued) expect(url).toBe(active.get(customerId!));
    expect(
      rows
        .filter((row) => row[1] === "failed")
        .map((row) => row[0])
        .sort(),
    ).toEqual(selected.filter((id) => !eligible.includes(id)).sort());
    // AND a link works: the storefront's activation page opens for it (the emulator takes the shop as ?shop=)
    const link = new URL(issued[0]![2]!);
    const opened = await fetch(`${demo.emulatorUrl}${link.pathname}?shop=${encodeURIComponent(demo.shop)}`);
    expect(opened.status).toBe(200);
    expect(errors).toEqual([]);
    await context.close();
  });
});
