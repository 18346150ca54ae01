import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Emulator } from "../src/server";
import { API_KEY, API_SECRET, control, type Json, post, SHOP, startEmulator } from "./helpers";

// The local admin in the staff user's language: a per-shop `locale` (control API), `?locale=` on a
// page (kept on its links), the embedded app's `locale`, and the extension host's shopify.i18n.

const HANDLE = SHOP.replace(/\.myshopify\.com$/, "");
const CUSTOMERS = `/store/${HANDLE}/customers`;
const APP = `/store/${HANDLE}/apps/account-invites`;

const EN = {
  name: "Send account invites",
  heading: "Send account invites",
  selected: { one: "{{count}} customer selected", other: "{{count}} customers selected" },
  send: { one: "Send {{count}} invite", other: "Send {{count}} invites" },
  onlyInEnglish: "Not translated yet",
};
const FR = {
  name: "Envoyer des invitations à créer un compte",
  heading: "Envoyer des invitations à créer un compte",
  selected: { one: "{{count}} client sélectionné", other: "{{count}} clients sélectionnés" },
};

let emulator: Emulator;
let extensionsDir: string;

beforeAll(async () => {
  // One built selection-action extension, as `shopify app build` leaves it.
  extensionsDir = mkdtempSync(join(tmpdir(), "emulator-locale-"));
  const folder = join(extensionsDir, "send-invites");
  mkdirSync(join(folder, "dist"), { recursive: true });
  mkdirSync(join(folder, "locales"));
  writeFileSync(
    join(folder, "shopify.extension.toml"),
    'handle = "send-invites"\n[[extensions.targeting]]\ntarget = "admin.customer-index.selection-action.render"\n',
  );
  writeFileSync(join(folder, "dist", "send-invites.js"), "shopify.extend('x', function () {});\n");
  writeFileSync(join(folder, "locales", "en.default.json"), JSON.stringify(EN));
  writeFileSync(join(folder, "locales", "fr.json"), JSON.stringify(FR));
  emulator = await startEmulator({ appUrl: "http://127.0.0.1:9", extensionsDir });
  emulator.createShop({ domain: SHOP, customers: 60, seed: 3 });
});

afterAll(async () => {
  await emulator.close();
  rmSync(extensionsDir, { recursive: true, force: true });
});

beforeEach(async () => {
  await control(emulator, "PATCH", `shops/${SHOP}`, { locale: "en" });
});

async function page(path: string): Promise<string> {
  const response = await fetch(`${emulator.url}${path}`);
  expect(response.status, path).toBe(200);
  return response.text();
}

const unescape = (html: string) =>
  html
    .replace(/&amp;/g, "&")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
const iframeSrc = (html: string) => new URL(unescape(/id="app-iframe"[^>]* src="([^"]+)"/.exec(html)![1]!));
const hrefs = (html: string) => [...html.matchAll(/href="([^"]+)"/g)].map((match) => unescape(match[1]!));
const hostConfig = (html: string): Json => JSON.parse(/var config = (\{.*?\});\n/.exec(html)![1]!);
const htmlLang = (html: string) => /<html lang="([^"]+)"/.exec(html)?.[1];

describe("a shop's admin locale (control API)", () => {
  it("is en by default and is changed with PATCH shops/{domain}, like the shop's other settings", async () => {
    expect((await control(emulator, "GET", `shops/${SHOP}`)).locale).toBe("en");
    const patched = await control(emulator, "PATCH", `shops/${SHOP}`, { locale: "fr" });
    expect(patched).toMatchObject({ status: 200, domain: SHOP, locale: "fr" });
    expect((await control(emulator, "GET", `shops/${SHOP}`)).locale).toBe("fr");
  });

  it("can be given when the shop is created, in any case (stored canonical)", async () => {
    const created = await control(emulator, "POST", "shops", {
      domain: "quebec.myshopify.com",
      locale: "fr-ca",
    });
    expect(created).toMatchObject({ status: 201, locale: "fr-CA" });
    expect((await control(emulator, "POST", "shops", { domain: "plain.myshopify.com" })).locale).toBe("en");
  });

  it("refuses what is not a language tag, and keeps the locale it had", async () => {
    await control(emulator, "PATCH", `shops/${SHOP}`, { locale: "fr" });
    for (const locale of ["français", "fr_FR", "", 42]) {
      const refused = await control(emulator, "PATCH", `shops/${SHOP}`, { locale });
      expect(refused.status, String(locale)).toBe(400);
      expect(refused.errors).toMatch(/locale must be a BCP 47 language tag/);
    }
    expect(
      (await control(emulator, "POST", "shops", { domain: "bad.myshopify.com", locale: "xx_YY" })).status,
    ).toBe(400);
    expect((await control(emulator, "GET", `shops/${SHOP}`)).locale).toBe("fr");
  });

  it("is the staff user's locale in an online token exchange", async () => {
    await control(emulator, "PATCH", `shops/${SHOP}`, { locale: "fr" });
    const exchanged = await post(
      emulator,
      "/admin/oauth/access_token",
      {
        client_id: API_KEY,
        client_secret: API_SECRET,
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token: emulator.sessionToken(SHOP).token,
        subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
        requested_token_type: "urn:shopify:params:oauth:token-type:online-access-token",
      },
      { "X-Forwarded-Host": SHOP },
    );
    expect(exchanged.status).toBe(200);
    expect(exchanged.json.associated_user.locale).toBe("fr");
  });
});

describe("the local admin's pages", () => {
  it("embed the app with locale=<the shop's locale> (en by default)", async () => {
    expect(iframeSrc(await page(APP)).searchParams.get("locale")).toBe("en");
    await control(emulator, "PATCH", `shops/${SHOP}`, { locale: "fr" });
    const html = await page(`${APP}/campaigns/7`);
    const src = iframeSrc(html);
    expect(src.pathname).toBe("/app/campaigns/7");
    expect(src.searchParams.get("locale")).toBe("fr");
    expect(htmlLang(html)).toBe("fr");
    expect(html).toContain(">Chargement…<");
  });

  it("speak the shop's locale: French chrome and French extension names", async () => {
    const english = await page(CUSTOMERS);
    expect(htmlLang(english)).toBe("en");
    expect(english).toContain(">More actions<");
    expect(english).toContain('role="menuitem" data-extension="0">Send account invites<');
    expect(english).toContain("60 customers");

    await control(emulator, "PATCH", `shops/${SHOP}`, { locale: "fr" });
    const french = await page(CUSTOMERS);
    expect(htmlLang(french)).toBe("fr");
    for (const text of [
      ">Clients<",
      ">Plus d'actions<",
      ">Rechercher<",
      "60 clients",
      ">Suivant<",
      "Sélectionner ",
    ]) {
      expect(unescape(french)).toContain(text);
    }
    expect(french).toContain('role="menuitem" data-extension="0">Envoyer des invitations à créer un compte<');
    expect(french).not.toContain(">More actions<");
    // The shop's own setting needs no parameter on the links.
    expect(hrefs(french).filter((href) => href.includes("locale="))).toEqual([]);
  });

  it("take ?locale= over the shop's locale, and keep it on every link", async () => {
    const html = await page(`${CUSTOMERS}?locale=fr`);
    expect(htmlLang(html)).toBe("fr");
    expect(unescape(html)).toContain(">Plus d'actions<");
    const SEGMENTS = CUSTOMERS.replace(/\/customers$/, "/segments");
    expect(hrefs(html)).toEqual([
      `${CUSTOMERS}?locale=fr`,
      `${SEGMENTS}?locale=fr`,
      `${APP}?locale=fr`,
      `${CUSTOMERS}?query=&page=1&locale=fr`,
    ]);
    expect(html).toContain('<input type="hidden" name="locale" value="fr">');
    expect(html).toContain(`window.location.href = ${JSON.stringify(`${APP}?locale=fr`)}`);
    expect(hostConfig(html)).toMatchObject({ language: "fr", linkLocale: "fr" });

    const app = await page(`${APP}/history?locale=fr&status=failed`);
    expect(iframeSrc(app).searchParams.get("locale")).toBe("fr");
    expect(iframeSrc(app).searchParams.get("status")).toBe("failed");
    expect(unescape(app)).toContain('var linkLocale = "fr";');
    expect(hrefs(app)).toEqual([`${CUSTOMERS}?locale=fr`, `${SEGMENTS}?locale=fr`, `${APP}?locale=fr`]);

    // Without the parameter the shop's locale (en) is back, and no link carries one.
    const plain = await page(CUSTOMERS);
    expect(htmlLang(plain)).toBe("en");
    expect(hrefs(plain).filter((href) => href.includes("locale="))).toEqual([]);
    expect(hostConfig(plain)).toMatchObject({ language: "en", linkLocale: null });
  });

  it("ignore a ?locale= that is not a language tag", async () => {
    await control(emulator, "PATCH", `shops/${SHOP}`, { locale: "fr" });
    const html = await page(`${APP}?locale=${encodeURIComponent("<script>")}`);
    expect(iframeSrc(html).searchParams.get("locale")).toBe("fr");
    expect(htmlLang(html)).toBe("fr");
    expect(hrefs(html).filter((href) => href.includes("locale="))).toEqual([]);
  });

  it("hand the extension host the locale's file, then the default locale, for fr and fr-CA alike", async () => {
    for (const locale of ["fr", "fr-CA"]) {
      const { extensions, language } = hostConfig(await page(`${CUSTOMERS}?locale=${locale}`));
      expect(language).toBe(locale);
      expect(extensions).toEqual([
        {
          target: "admin.customer-index.selection-action.render",
          title: FR.name,
          bundleUrl: "/__emulator/extensions/send-invites.js",
          locale: EN,
          defaultLanguage: "en",
          translations: [{ language: "fr", messages: FR }],
        },
      ]);
    }
    const english = hostConfig(await page(`${CUSTOMERS}?locale=de`));
    expect(english.language).toBe("de");
    expect(english.extensions[0]).toMatchObject({ title: EN.name, translations: [] });
  });
});

describe("the extension host's shopify.i18n", () => {
  type I18n = {
    translate: (key: string, options?: Record<string, unknown>) => string;
    formatNumber: (value: number, options?: Record<string, unknown>) => string;
    formatCurrency: (value: number, options?: Record<string, unknown>) => string;
    formatDate: (date: Date, options?: Record<string, unknown>) => string;
  };
  const source = readFileSync(resolve("emulator/admin/extensionHost.js"), "utf8");
  const sandbox: { window: { localAdminExtensionHost?: { createI18n: (config: unknown) => I18n } } } = {
    window: {},
  };
  runInNewContext(source, sandbox);
  const i18nFor = (language: string) =>
    sandbox.window.localAdminExtensionHost!.createI18n({
      language,
      defaultLanguage: "en",
      currency: "USD",
      locales: [
        ...(language.startsWith("fr") ? [{ language: "fr", messages: FR }] : []),
        { language: "en", messages: EN },
      ],
    });

  it("translates from the French file and falls back to en.default.json key by key", () => {
    const fr = i18nFor("fr");
    expect(fr.translate("heading")).toBe(FR.heading);
    expect(fr.translate("onlyInEnglish")).toBe(EN.onlyInEnglish);
    expect(fr.translate("nowhere.at.all")).toBe("nowhere.at.all");
    expect(i18nFor("en").translate("heading")).toBe(EN.heading);
  });

  it("picks plural forms by the rules of the file the key comes from", () => {
    const fr = i18nFor("fr");
    // French: 0 and 1 are "one".
    expect(fr.translate("selected", { count: 0 })).toBe("0 client sélectionné");
    expect(fr.translate("selected", { count: 1 })).toBe("1 client sélectionné");
    expect(fr.translate("selected", { count: 2 })).toBe("2 clients sélectionnés");
    // "many" (1,000,000 in French) falls back to "other".
    expect(fr.translate("selected", { count: 1_000_000 })).toBe("1000000 clients sélectionnés");
    // A key only in English follows English rules: 0 is "other".
    expect(fr.translate("send", { count: 0 })).toBe("Send 0 invites");
    expect(fr.translate("send", { count: 1 })).toBe("Send 1 invite");
  });

  it("formats numbers, currency and dates for the admin locale, or the extension's with inExtensionLocale", () => {
    const fr = i18nFor("fr");
    const date = new Date("2026-11-20T09:30:00Z");
    expect(fr.formatNumber(5000)).toBe(new Intl.NumberFormat("fr").format(5000));
    expect(fr.formatNumber(5000)).toMatch(/^5\s000$/);
    expect(fr.formatNumber(5000, { inExtensionLocale: true })).toBe("5,000");
    expect(fr.formatNumber(0.5, { style: "percent" })).toMatch(/^50\s%$/);
    expect(fr.formatCurrency(12.5)).toBe(
      new Intl.NumberFormat("fr", { style: "currency", currency: "USD" }).format(12.5),
    );
    expect(fr.formatCurrency(12.5, { currency: "EUR" })).toMatch(/^12,50\s€$/);
    expect(fr.formatDate(date, { dateStyle: "long", timeZone: "UTC" })).toBe("20 novembre 2026");
    expect(fr.formatDate(date, { dateStyle: "long", timeZone: "UTC", inExtensionLocale: true })).toBe(
      "November 20, 2026",
    );
    expect(i18nFor("en").formatNumber(5000)).toBe("5,000");
  });

  it("has exactly the members of admin's I18n", () => {
    expect(Object.keys(i18nFor("fr")).sort()).toEqual([
      "formatCurrency",
      "formatDate",
      "formatNumber",
      "translate",
    ]);
  });
});
