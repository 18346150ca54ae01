import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectConsoleErrors, launchBrowser, newMerchantContext, screenshot } from "./support/browser";
import { startTestDemo, type TestDemo } from "./support/demo";

// The demo's local admin in French (`?locale=fr`, emulator/README.md "Language"): its own chrome, and the
// real built "Send account invites" extension speaking locales/fr.json. Screenshots:
// test-output/screenshots/fr-NN-<what>.png. Any console error fails.

const EXTENSION_NAME = "Envoyer des invitations à créer un compte";

let demo: TestDemo;
let browser: Browser;

beforeAll(async () => {
  demo = await startTestDemo({ name: "french", emulatorPort: 4330, appPort: 3330 });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

describe("the local admin in French", () => {
  it("runs the send-invites selection action in French on the selected customers", async () => {
    const context = await newMerchantContext(browser);
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    await page.goto(`${demo.adminUrl}?locale=fr&query=${encodeURIComponent("state:disabled")}`);

    // GIVEN a merchant whose admin is in French, on the customer list
    expect(await page.locator("html").getAttribute("lang")).toBe("fr");
    await expect.poll(() => page.getByRole("heading", { name: "Clients" }).isVisible()).toBe(true);
    // The search kept the locale, and so do the page's links.
    expect(await page.getByRole("link", { name: "Clients" }).getAttribute("href")).toMatch(/\?locale=fr$/);
    const boxes = page.getByRole("checkbox", { name: /^Sélectionner (?!tous)/ });
    await expect.poll(() => boxes.count()).toBeGreaterThan(4);

    // WHEN they select four customers and choose Plus d'actions › Envoyer des invitations à créer un compte
    for (let i = 0; i < 4; i++) await boxes.nth(i).check();
    await expect.poll(() => page.locator("#selected-count").textContent()).toBe("4 sélectionnés");
    await page.getByRole("button", { name: "Plus d'actions" }).click();
    await page.getByRole("menuitem", { name: EXTENSION_NAME }).click();

    // THEN the extension's dialog speaks French: heading, counts with French plurals, fields, buttons
    const frame = page.frameLocator(`iframe[title="${EXTENSION_NAME}"]`);
    const summary = frame.getByText(/^\d+ clients? (sera|seront) invités?, \d+ ignorés?$/);
    await summary.waitFor({ timeout: 20_000 });
    expect(await frame.locator("html").getAttribute("lang")).toBe("fr");
    await expect.poll(() => frame.getByText(EXTENSION_NAME).first().isVisible()).toBe(true);
    await expect.poll(() => frame.getByText("4 clients sélectionnés").isVisible()).toBe(true);
    await expect.poll(() => frame.getByText("E-mail (facultatif)").isVisible()).toBe(true);
    await expect.poll(() => frame.getByLabel("Objet").isVisible()).toBe(true);
    await expect.poll(() => frame.getByLabel("Message personnalisé").isVisible()).toBe(true);
    const willInvite = Number(/^(\d+) client/.exec((await summary.textContent()) ?? "")?.[1]);
    expect(willInvite).toBeGreaterThan(0);
    const send = frame.getByRole("button", { name: new RegExp(`^Envoyer ${willInvite} invitations?$`) });
    await expect.poll(() => send.isVisible()).toBe(true);
    await expect.poll(() => frame.getByRole("button", { name: "Fermer" }).isVisible()).toBe(true);
    await screenshot(page, "fr-01-selection-action");

    // No English left in the dialog.
    const text = (await frame.locator("body").innerText()).replace(/\s+/g, " ");
    expect(text).not.toMatch(/\b(will be invited|skipped|selected|Close|Send \d|Subject|Email)\b/);

    await frame.getByRole("button", { name: "Fermer" }).click();
    await expect.poll(() => page.locator(".ext-overlay").count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});

// ─── For the lead: the app's own pages in French ─────────────────────────────────────────────────────
// The app's pages are being translated separately. Add the overview and the campaign page here, opened
// at `${demo.appAdminUrl}?locale=fr` (the iframe then gets locale=fr, and App Bridge's
// shopify.config.locale is "fr"), with screenshots fr-02-overview and fr-03-campaign.
describe("the app's pages in French (to be added by the lead)", () => {
  it.todo("shows the overview in French");
  it.todo("shows a campaign page in French");
});
