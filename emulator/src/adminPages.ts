// The local admin (demo and browser tests): Shopify admin's customer index and the app embedded in an
// iframe, rendered by ../admin/localAdmin.ts, plus the App Bridge stand-in script.
//   GET /store/<handle>/customers?query=&page=       customer list with checkboxes and "More actions"
//   GET /store/<handle>/apps/<appHandle>[/<path>]     the app at <appUrl>/app/<path>, embedded
//   GET /__emulator/app-bridge.js                     ../admin/appBridgeStandIn.js
//   GET /__emulator/extension-host.js                 ../admin/extensionHost.js
//   GET /__emulator/extensions/<handle>.js            <extensionsDir>/<handle>/dist/<handle>.js
import { existsSync, readdirSync, readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { renderAppPage, renderCustomersPage, type LocalAdminExtension } from "../admin/localAdmin";
import { sendText } from "./http";
import { compileCustomerSearch } from "./search";
import { customerGid } from "./model";
import type { Emulator } from "./server";

const here = dirname(fileURLToPath(import.meta.url));
let appBridgeScript: string | null = null;
const PAGE_SIZE = 50;

const SELECTION_ACTION_TARGET = "admin.customer-index.selection-action.render";

interface BuiltExtension extends LocalAdminExtension {
  handle: string;
  bundlePath: string;
}

/** The selection-action extensions built in `dir` (read on each page load, so a rebuild shows at once). */
function builtSelectionActions(dir: string | undefined): BuiltExtension[] {
  if (!dir || !existsSync(dir)) return [];
  const found: BuiltExtension[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const folder = resolve(dir, entry.name);
    const tomlPath = resolve(folder, "shopify.extension.toml");
    if (!existsSync(tomlPath)) continue;
    const toml = readFileSync(tomlPath, "utf8");
    const handle = /^\s*handle\s*=\s*"([^"]+)"/m.exec(toml)?.[1];
    if (!handle || !toml.includes(`"${SELECTION_ACTION_TARGET}"`)) continue;
    const bundlePath = resolve(folder, "dist", `${handle}.js`);
    if (!existsSync(bundlePath)) continue;
    const localePath = resolve(folder, "locales", "en.default.json");
    const locale = existsSync(localePath)
      ? (JSON.parse(readFileSync(localePath, "utf8")) as Record<string, unknown>)
      : {};
    found.push({
      handle,
      bundlePath,
      target: SELECTION_ACTION_TARGET,
      label: typeof locale.name === "string" ? locale.name : handle,
      bundleUrl: `/__emulator/extensions/${handle}.js`,
      locale,
    });
  }
  return found;
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
    const extension = builtSelectionActions(emulator.options.extensionsDir).find(
      (e) => e.handle === bundle[1],
    );
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
  const base = {
    shop: shop.domain,
    shopName: shop.name,
    appName,
    appBasePath: `/store/${m[1]}/apps/${appHandle}`,
    customersPath: `/store/${m[1]}/customers`,
  };
  const rest = m[2] ?? "/";
  if (rest === "/customers" || rest === "/" || rest === "") {
    const query = url.searchParams.get("query") ?? "";
    const page = Math.max(0, Number(url.searchParams.get("page") ?? 0) || 0);
    const search = compileCustomerSearch(query, emulator.clock.now());
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
      ...extensionOptions(emulator),
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
    src.searchParams.set("locale", "en");
    src.searchParams.set("id_token", emulator.sessionToken(shop.domain).token);
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

function extensionOptions(emulator: Emulator) {
  const extensions = builtSelectionActions(emulator.options.extensionsDir);
  if (extensions.length === 0 || !emulator.options.appUrl) return {};
  return {
    extensions: extensions.map(({ target, label, bundleUrl, locale }) => ({
      target,
      label,
      bundleUrl,
      locale,
    })),
    extensionHost: {
      scriptPath: "/__emulator/extension-host.js",
      appUrl: emulator.options.appUrl,
      sessionTokenPath: "/__emulator/session-token",
    },
  };
}
