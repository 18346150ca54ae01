// The local admin (demo and browser tests): Shopify admin's customer index and the app embedded in an
// iframe, rendered by ../admin/localAdmin.ts, plus the App Bridge stand-in script.
//   GET /store/<handle>/customers?query=&page=       customer list with checkboxes and "More actions"
//   GET /store/<handle>/segments[/<id>]              saved segments; a segment's page with "More actions"
//   GET /store/<handle>/apps/<appHandle>[/<path>]     the app at <appUrl>/app/<path>, embedded
//   GET /__emulator/app-bridge.js                     ../admin/appBridgeStandIn.js
//   GET /__emulator/extension-host.js                 ../admin/extensionHost.js
//   GET /__emulator/extensions/<handle>.js            <extensionsDir>/<handle>/dist/<handle>.js
// The pages speak the shop's admin locale (`PATCH /__emulator/shops/<domain> { locale }`), or `?locale=`
// when opened with it (then kept on their links); see emulator/README.md, "Language".
// They act as one staff member of the shop: the owner by default, another with `?staff=<id or email>`
// (remembered in a cookie) or the header's "Acting as" select; session tokens carry that member's `sub`.
import { createHash, createHmac } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  renderAppPage,
  renderCustomersPage,
  renderSegmentPage,
  renderSegmentsPage,
  type ExtensionTranslations,
  type LocalAdminExtension,
} from "../admin/localAdmin";
import { sendText } from "./http";
import { compileCustomerSearch } from "./search";
import { compileSegmentQuery, findSegment, segmentGid, shopSegments, type SavedSegment } from "./segments";
import { canonicalLocale, customerGid, type Shop, type StaffMember } from "./model";
import type { Emulator } from "./server";

const here = dirname(fileURLToPath(import.meta.url));
let appBridgeScript: string | null = null;
const PAGE_SIZE = 50;

const SELECTION_ACTION_TARGET = "admin.customer-index.selection-action.render";
const SEGMENT_ACTION_TARGET = "admin.customer-segment-details.action.render";
/** The action targets the local admin can host. */
const HOSTED_TARGETS = [SELECTION_ACTION_TARGET, SEGMENT_ACTION_TARGET];

interface BuiltExtension extends LocalAdminExtension {
  handle: string;
  bundlePath: string;
}

/** `fr-CA` → [`fr-CA`, `fr`]: the locale, then each shorter tag, as Shopify looks for locale files. */
export function localeCandidates(locale: string): string[] {
  const parts = locale.split("-");
  return parts.map((_, index) => parts.slice(0, parts.length - index).join("-"));
}

interface ExtensionLocales {
  /** The default locale file (`<language>.default.json`) and its language. */
  locale: Record<string, unknown>;
  defaultLanguage: string;
  /** The files for `locale`, most specific first, without the default. */
  translations: ExtensionTranslations[];
}

/** An extension's locale files for an admin locale: `locales/<locale>.json` and shorter tags, then the default. */
export function extensionLocales(folder: string, locale: string): ExtensionLocales {
  const dir = resolve(folder, "locales");
  const files = existsSync(dir) ? readdirSync(dir) : [];
  const read = (file: string) =>
    JSON.parse(readFileSync(resolve(dir, file), "utf8")) as Record<string, unknown>;
  const defaultFile = files.find((file) => file.endsWith(".default.json"));
  const defaultLanguage = defaultFile ? defaultFile.replace(/\.default\.json$/, "") : "en";
  const translations = localeCandidates(locale)
    .filter((candidate) => candidate !== defaultLanguage && files.includes(`${candidate}.json`))
    .map((candidate) => ({ language: candidate, messages: read(`${candidate}.json`) }));
  return { locale: defaultFile ? read(defaultFile) : {}, defaultLanguage, translations };
}

/**
 * The action extensions built in `dir` that the local admin hosts (read on each page load, so a rebuild
 * shows at once), with their locale files for the admin locale and their name in it.
 */
function builtActions(dir: string | undefined, locale = "en"): BuiltExtension[] {
  if (!dir || !existsSync(dir)) return [];
  const found: BuiltExtension[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const folder = resolve(dir, entry.name);
    const tomlPath = resolve(folder, "shopify.extension.toml");
    if (!existsSync(tomlPath)) continue;
    const toml = readFileSync(tomlPath, "utf8");
    const handle = /^\s*handle\s*=\s*"([^"]+)"/m.exec(toml)?.[1];
    const target = HOSTED_TARGETS.find((t) => toml.includes(`"${t}"`));
    if (!handle || !target) continue;
    const bundlePath = resolve(folder, "dist", `${handle}.js`);
    if (!existsSync(bundlePath)) continue;
    const locales = extensionLocales(folder, locale);
    const name = [...locales.translations.map((t) => t.messages), locales.locale]
      .map((messages) => messages.name)
      .find((value): value is string => typeof value === "string");
    found.push({
      handle,
      bundlePath,
      target,
      label: name ?? handle,
      bundleUrl: `/__emulator/extensions/${handle}.js`,
      ...locales,
    });
  }
  return found;
}

/** The admin language of a page: `?locale=` when it is a language tag (kept on links), else the shop's. */
function pageLocale(shop: Shop, url: URL): { locale: string; linkLocale: string | null } {
  const override = canonicalLocale(url.searchParams.get("locale"));
  return { locale: override ?? shop.locale, linkLocale: override };
}

const STAFF_COOKIE = "local_admin_staff";

/**
 * The staff member the page acts as: `?staff=` (an id, a GID or an email), else the cookie, else the
 * owner. `remember` is set when `?staff=` named someone (the page then sets the cookie).
 */
export function actingStaff(shop: Shop, url: URL, cookieHeader: string | undefined) {
  const find = (key: string | null | undefined) => {
    const wanted = key
      ?.replace(/^gid:\/\/shopify\/StaffMember\//, "")
      .trim()
      .toLowerCase();
    if (!wanted) return null;
    return shop.staff.find((m) => String(m.id) === wanted || m.email.toLowerCase() === wanted) ?? null;
  };
  const cookie = /(?:^|;\s*)local_admin_staff=([^;]*)/.exec(cookieHeader ?? "")?.[1];
  const fromUrl = find(url.searchParams.get("staff"));
  const member: StaffMember =
    fromUrl ?? find(cookie ? decodeURIComponent(cookie) : null) ?? shop.staff.find((m) => m.isShopOwner)!;
  return { member, remember: fromUrl !== null };
}

function sendScript(res: ServerResponse, body: string | Buffer) {
  res.writeHead(200, {
    "Content-Type": "text/javascript; charset=utf-8",
    "Cache-Control": "no-cache",
    "Access-Control-Allow-Origin": "*",
  });
  res.end(body);
}

export async function handleAdminPage(
  emulator: Emulator,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  if (url.pathname === "/__emulator/app-bridge.js") {
    appBridgeScript ??= readFileSync(resolve(here, "../admin/appBridgeStandIn.js"), "utf8");
    res.writeHead(200, {
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": "no-cache",
      "Access-Control-Allow-Origin": "*",
    });
    res.end(appBridgeScript);
    return true;
  }
  if (url.pathname === "/__emulator/extension-host.js") {
    sendScript(res, readFileSync(resolve(here, "../admin/extensionHost.js")));
    return true;
  }
  const bundle = /^\/__emulator\/extensions\/([a-z0-9-]+)\.js$/.exec(url.pathname);
  if (bundle) {
    const extension = builtActions(emulator.options.extensionsDir).find((e) => e.handle === bundle[1]);
    if (!extension) {
      sendText(res, 404, `No built extension ${bundle[1]}`);
      return true;
    }
    sendScript(res, readFileSync(extension.bundlePath));
    return true;
  }
  const m = /^\/store\/([a-z0-9-]+)(\/.*)?$/.exec(url.pathname);
  if (!m) return false;
  const domain = `${m[1]}.myshopify.com`;
  const shop = emulator.store.getShop(domain);
  if (!shop) {
    sendText(res, 404, `Unknown shop ${domain}`);
    return true;
  }
  const appHandle = emulator.options.appHandle ?? "account-invites";
  const appName = emulator.options.appName ?? "Account Invites";
  const { locale, linkLocale } = pageLocale(shop, url);
  const acting = actingStaff(shop, url, req.headers.cookie);
  if (acting.remember) {
    res.setHeader(
      "Set-Cookie",
      `${STAFF_COOKIE}=${acting.member.id}; Path=/store/${m[1]}; SameSite=Lax; HttpOnly`,
    );
  }
  const staffChoice = {
    id: String(acting.member.id),
    members: shop.staff
      .filter((member) => member.active)
      .map((member) => ({
        id: String(member.id),
        name: [member.firstName, member.lastName].filter(Boolean).join(" ") || member.email,
        isShopOwner: member.isShopOwner,
      })),
  };
  const base = {
    shop: shop.domain,
    shopName: shop.name,
    appName,
    appBasePath: `/store/${m[1]}/apps/${appHandle}`,
    customersPath: `/store/${m[1]}/customers`,
    segmentsPath: `/store/${m[1]}/segments`,
    locale,
    linkLocale,
    staff: staffChoice,
  };
  const rest = m[2] ?? "/";
  if (rest === "/customers" || rest === "/" || rest === "") {
    const query = url.searchParams.get("query") ?? "";
    const page = Math.max(0, Number(url.searchParams.get("page") ?? 0) || 0);
    const search = compileCustomerSearch(query, emulator.engine.customerSearchFields, emulator.clock.now());
    const matches = search.matchesAll ? shop.customers : shop.customers.filter(search.matches);
    const rows = matches.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE).map((c) => ({
      id: customerGid(c.id),
      firstName: c.firstName,
      lastName: c.lastName,
      email: c.email,
      state: c.state,
      tags: c.tags,
    }));
    const link = (p: number) => `${base.customersPath}?${new URLSearchParams({ query, page: String(p) })}`;
    const html = renderCustomersPage({
      ...base,
      customers: rows,
      query,
      nextPage: (page + 1) * PAGE_SIZE < matches.length ? link(page + 1) : null,
      previousPage: page > 0 ? link(page - 1) : null,
      totalCount: matches.length,
      ...extensionOptions(emulator, locale),
    });
    sendText(res, 200, html, "text/html; charset=utf-8");
    return true;
  }
  if (rest === "/segments") {
    const now = emulator.clock.now();
    const html = renderSegmentsPage({
      ...base,
      segments: shopSegments(shop).map((segment) => segmentRow(shop, segment, base.segmentsPath, now)),
    });
    sendText(res, 200, html, "text/html; charset=utf-8");
    return true;
  }
  const segmentPage = /^\/segments\/(\d+)$/.exec(rest);
  if (segmentPage) {
    const segment = findSegment(shop, Number(segmentPage[1]));
    if (!segment) {
      sendText(res, 404, `Unknown segment ${segmentPage[1]} in ${shop.domain}`);
      return true;
    }
    const now = emulator.clock.now();
    const compiled = compileSegmentQuery(segment.query, { now });
    const members =
      compiled.ok && compiled.notEmulated.length === 0
        ? shop.customers.filter((c) => !c.deleted && compiled.matches(c)).slice(0, PAGE_SIZE)
        : [];
    const html = renderSegmentPage({
      ...base,
      segment: segmentRow(shop, segment, base.segmentsPath, now),
      members: members.map((c) => ({
        id: customerGid(c.id),
        firstName: c.firstName,
        lastName: c.lastName,
        email: c.email,
        state: c.state,
        tags: c.tags,
      })),
      ...extensionOptions(emulator, locale),
    });
    sendText(res, 200, html, "text/html; charset=utf-8");
    return true;
  }
  const appPrefix = `/apps/${appHandle}`;
  if (rest === appPrefix || rest.startsWith(`${appPrefix}/`)) {
    const appUrl = emulator.options.appUrl;
    if (!appUrl) {
      sendText(res, 409, "The emulator was started without appUrl (SHOPIFY_APP_URL): nothing to embed");
      return true;
    }
    const subPath = rest.slice(appPrefix.length);
    const src = new URL(`/app${subPath === "/" ? "" : subPath}`, appUrl);
    for (const [key, value] of url.searchParams) src.searchParams.set(key, value);
    const host = Buffer.from(`admin.shopify.com/store/${m[1]}`).toString("base64").replace(/=+$/, "");
    src.searchParams.set("embedded", "1");
    src.searchParams.set("shop", shop.domain);
    src.searchParams.set("host", host);
    src.searchParams.set("locale", locale);
    src.searchParams.set("id_token", emulator.sessionToken(shop.domain, { sub: staffChoice.id }).token);
    src.searchParams.delete("staff");
    signEmbeddedUrl(
      src,
      emulator.options.apiSecret,
      `${shop.domain}:${staffChoice.id}`,
      emulator.clock.now(),
    );
    const html = renderAppPage({
      ...base,
      appSrc: src.href,
      appOrigin: new URL(appUrl).origin,
      sessionTokenPath: "/__emulator/session-token",
    });
    sendText(res, 200, html, "text/html; charset=utf-8");
    return true;
  }
  return false;
}

/**
 * What Shopify admin adds to an embedded app's URL besides `shop`, `host` and `id_token`: `session` (an
 * opaque hex id of the admin session), `timestamp`, and `hmac` over the sorted query with the app secret
 * (the library's `validateHmac` format). The app never needs them, but they are in every page load's URL
 * and must stay out of its logs.
 */
function signEmbeddedUrl(src: URL, secret: string, adminSession: string, nowMs: number) {
  src.searchParams.set("session", createHash("sha256").update(`admin-session:${adminSession}`).digest("hex"));
  src.searchParams.set("timestamp", String(Math.floor(nowMs / 1000)));
  src.searchParams.delete("hmac");
  const sorted = [...src.searchParams.entries()].sort(([a], [b]) => a.localeCompare(b));
  const hmac = createHmac("sha256", secret).update(new URLSearchParams(sorted).toString()).digest("hex");
  src.searchParams.set("hmac", hmac);
}

function extensionOptions(emulator: Emulator, locale: string) {
  const extensions = builtActions(emulator.options.extensionsDir, locale);
  if (extensions.length === 0 || !emulator.options.appUrl) return {};
  return {
    extensions: extensions.map(
      ({ target, label, bundleUrl, locale: defaults, defaultLanguage, translations }) => ({
        target,
        label,
        bundleUrl,
        locale: defaults,
        defaultLanguage,
        translations,
      }),
    ),
    extensionHost: {
      scriptPath: "/__emulator/extension-host.js",
      appUrl: emulator.options.appUrl,
      sessionTokenPath: "/__emulator/session-token",
    },
  };
}

function segmentRow(shop: Shop, segment: SavedSegment, segmentsPath: string, now: number) {
  const compiled = compileSegmentQuery(segment.query, { now });
  return {
    id: segmentGid(segment.id),
    name: segment.name,
    query: segment.query,
    memberCount:
      compiled.ok && compiled.notEmulated.length === 0
        ? shop.customers.filter((c) => !c.deleted && compiled.matches(c)).length
        : null,
    path: `${segmentsPath}/${segment.id}`,
  };
}
