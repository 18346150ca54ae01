import type { Browser, BrowserContext, FrameLocator, Page } from "playwright-core";
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

// ─── The app's own pages in French ────────────────────────────────────────────────────────────────────
// Opened at `${demo.appAdminUrl}?locale=fr`: the iframe gets `locale=fr` (app/i18n/remixI18n.server.ts
// picks the document's language from it) and keeps French through client navigations, whose data
// requests carry no locale. French puts a no-break space before ":" and "?"; `\s` matches it.
describe("the app's pages in French", () => {
  let context: BrowserContext;
  let page: Page;
  let app: FrameLocator;
  let errors: string[];

  beforeAll(async () => {
    context = await newMerchantContext(browser);
    page = await context.newPage();
    await page.emulateMedia({ reducedMotion: "reduce" });
    errors = collectConsoleErrors(page);
    await page.goto(`${demo.appAdminUrl}?locale=fr`);
    app = page.frameLocator("#app-iframe");
  });

  afterAll(() => context?.close());

  /** The app's visible text, to check that no English is left. */
  const appText = async () => (await app.locator("body").innerText()).replace(/\s+/g, " ");

  it("shows the overview in French", async () => {
    await app.getByText("Vos clients par état du compte").waitFor({ timeout: 30_000 });
    expect(await app.locator("html").getAttribute("lang")).toBe("fr");
    await expect.poll(() => page.locator("#app-title").textContent(), { timeout: 20_000 }).toBe("Aperçu");
    // The NavMenu's links, drawn by the local admin, and the figures' labels.
    await expect.poll(() => page.locator("#app-nav a", { hasText: "Liens d'activation" }).count()).toBe(1);
    await app.getByText("Invitations envoyées").waitFor();
    await app.getByText("Liens d'activation générés").waitFor();
    await app.getByText(/^Pas encore de compte\s:\s\d+$/).waitFor();
    await app.getByText("Anciens comptes clients", { exact: true }).waitFor();
    await app.getByText("Invitez vos premiers clients").waitFor();
    // polaris-viz draws after hydration, with French category labels.
    await app.locator("svg").getByText("Compte actif").first().waitFor({ timeout: 20_000 });
    await screenshot(page, "fr-02-overview");
    expect(await appText()).not.toMatch(
      /\b(Overview|Your store|Customer accounts|Invites sent|Recent campaigns|New campaign|No account yet|Active account)\b/,
    );
    expect(errors).toEqual([]);
  });

  it("creates a campaign and follows it on its page, in French", { timeout: 120_000 }, async () => {
    await page.locator("#app-nav a", { hasText: "Nouvelle campagne" }).click();
    await expect
      .poll(() => page.locator("#app-title").textContent(), { timeout: 20_000 })
      .toBe("Nouvelle campagne");
    await app.getByLabel("Balises").fill("imported");
    await app.getByText(/^\d+ clients correspondent$/).waitFor({ timeout: 20_000 });
    await app.getByRole("button", { name: "Simulation sur un échantillon" }).click();
    await app
      .getByText(/^\d+ clients? (serait|seraient) invités?, \d+ ignorés?$/)
      .waitFor({ timeout: 20_000 });
    await app.getByRole("button", { name: "Créer la campagne" }).click();

    // THEN the campaign page speaks French: title, status, counters with French plurals, table, dates
    await expect.poll(() => page.locator("#app-title").textContent(), { timeout: 20_000 }).toBe("Campagne");
    await page.locator("#toasts").getByText("Campagne créée").waitFor({ timeout: 20_000 });
    await app.locator(".Polaris-Badge", { hasText: "Terminée" }).first().waitFor({ timeout: 60_000 });
    await app
      .getByText(/^\d+ envoyées? · \d+ ignorées? · \d+ en échec · 0 restante$/)
      .first()
      .waitFor({ timeout: 20_000 });
    expect(await app.locator("html").getAttribute("lang")).toBe("fr");
    await app.getByRole("heading", { name: "Progression" }).waitFor();
    await app.getByRole("heading", { name: "Destinataires" }).waitFor();
    await app.getByRole("button", { name: "Exporter en CSV" }).waitFor();
    for (const column of ["Client", "Statut", "Motif", "Tentatives", "Terminé le"])
      await app.getByRole("columnheader", { name: column, exact: true }).first().waitFor();
    await app.getByRole("link", { name: "Retour aux campagnes" }).waitFor();
    // Dates in French, in UTC: "26 nov. 2026, 13:05 UTC".
    await app
      .getByText(/^\d{1,2} [a-zéû]+\.? \d{4}(,| à) \d{2}:\d{2} UTC$/)
      .first()
      .waitFor();
    await screenshot(page, "fr-03-campaign");
    expect(await appText()).not.toMatch(
      /\b(Progress|Recipients|Export CSV|Completed|Sent|Skipped|sent|skipped|to go|Cancel|Reason|Attempts|Finished|AM|PM)\b/,
    );
    expect(errors).toEqual([]);
  });
});
