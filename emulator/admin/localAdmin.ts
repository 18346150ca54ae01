// The local admin: a small stand-in for Shopify admin that the demo and the browser tests open. It lists a
// shop's customers (with checkboxes and a "More actions" menu, like admin's customer index) and embeds
// the app the way admin does: an iframe on the app's URL with shop, host and a fresh id_token, plus the
// App Bridge stand-in (appBridgeStandIn.js) answering the app over postMessage.
//
// It speaks the staff user's admin language (`locale`: English, or French for any `fr*` tag), which it
// also hands to the embedded app and to the extensions it runs. A page opened with `?locale=` keeps that
// parameter on every link it renders (`linkLocale`), so a French session stays French.

export interface AdminCustomerRow {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  state: string;
  tags: string[];
}

export interface AdminChromeOptions {
  shop: string;
  shopName: string;
  appName: string;
  /** Admin-side path of the app, e.g. /store/demo/apps/account-invites */
  appBasePath: string;
  customersPath: string;
  /** The shop's segments list (local admin path). */
  segmentsPath?: string;
  /** The staff user's admin language (BCP 47, default "en"): the page's words, numbers and `lang`. */
  locale?: string;
  /** Set when the page was opened with `?locale=`: every link the page renders carries it on. */
  linkLocale?: string | null;
  /** The staff member the page acts as (its session tokens carry their `sub`), and whom it could act as. */
  staff?: ActingStaff;
}

export interface ActingStaff {
  id: string;
  members: { id: string; name: string; isShopOwner: boolean }[];
}

/** The languages the local admin's own chrome is written in; any other locale reads English. */
export type AdminLanguage = "en" | "fr";

export function adminLanguage(locale: string | undefined): AdminLanguage {
  return /^fr(-|$)/i.test(locale ?? "") ? "fr" : "en";
}

type Plural = { one: string; other: string };

const ADMIN_TEXT: Record<
  AdminLanguage,
  {
    badge: string;
    titleSuffix: string;
    navLabel: string;
    customers: string;
    segments: string;
    segmentMembers: Plural;
    segmentQuery: string;
    noSegments: string;
    apps: string;
    noName: string;
    noEmail: string;
    select: string;
    selectAllLabel: string;
    selectAll: string;
    customerCount: Plural;
    selectedCount: Plural;
    moreActions: string;
    openApp: string;
    searchLabel: string;
    searchPlaceholder: string;
    search: string;
    columns: { customer: string; email: string; account: string; tags: string };
    states: Record<string, string>;
    previous: string;
    next: string;
    loading: string;
    actingAs: string;
    owner: string;
  }
> = {
  en: {
    badge: "Local Shopify emulator",
    titleSuffix: "Local admin",
    navLabel: "Admin",
    customers: "Customers",
    segments: "Segments",
    segmentMembers: { one: "{count} customer", other: "{count} customers" },
    segmentQuery: "Conditions",
    noSegments: "No segments yet (create them with POST /__emulator/segments).",
    apps: "Apps",
    noName: "(no name)",
    noEmail: "no email",
    select: "Select {name}",
    selectAllLabel: "Select all customers on this page",
    selectAll: "Select all",
    customerCount: { one: "{count} customer", other: "{count} customers" },
    selectedCount: { one: "{count} selected", other: "{count} selected" },
    moreActions: "More actions",
    openApp: "Open {app}",
    searchLabel: "Search customers",
    searchPlaceholder: "Search customers (state:disabled, tag:vip, …)",
    search: "Search",
    columns: { customer: "Customer", email: "Email", account: "Account", tags: "Tags" },
    states: { DISABLED: "disabled", INVITED: "invited", ENABLED: "enabled", DECLINED: "declined" },
    previous: "Previous",
    next: "Next",
    loading: "Loading…",
    actingAs: "Acting as",
    owner: "{name} (owner)",
  },
  fr: {
    badge: "Émulateur Shopify local",
    titleSuffix: "Admin local",
    navLabel: "Administration",
    customers: "Clients",
    segments: "Segments",
    segmentMembers: { one: "{count} client", other: "{count} clients" },
    segmentQuery: "Conditions",
    noSegments: "Aucun segment pour l'instant (créez-en avec POST /__emulator/segments).",
    apps: "Applications",
    noName: "(sans nom)",
    noEmail: "aucune adresse e-mail",
    select: "Sélectionner {name}",
    selectAllLabel: "Sélectionner tous les clients de cette page",
    selectAll: "Tout sélectionner",
    customerCount: { one: "{count} client", other: "{count} clients" },
    selectedCount: { one: "{count} sélectionné", other: "{count} sélectionnés" },
    moreActions: "Plus d'actions",
    openApp: "Ouvrir {app}",
    searchLabel: "Rechercher des clients",
    searchPlaceholder: "Rechercher des clients (state:disabled, tag:vip, …)",
    search: "Rechercher",
    columns: { customer: "Client", email: "E-mail", account: "Compte", tags: "Balises" },
    states: { DISABLED: "désactivé", INVITED: "invité", ENABLED: "activé", DECLINED: "refusé" },
    previous: "Précédent",
    next: "Suivant",
    loading: "Chargement…",
    actingAs: "Connecté en tant que",
    owner: "{name} (propriétaire)",
  },
};

/** The local admin's words for a locale (`fr-CA` → French, `de` → English). */
export function adminText(locale: string | undefined) {
  return ADMIN_TEXT[adminLanguage(locale)];
}

const fill = (text: string, values: Record<string, string>) =>
  text.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? "");

function countText(locale: string | undefined, forms: Plural, count: number): string {
  const language = adminLanguage(locale);
  const form = new Intl.PluralRules(language).select(count) === "one" ? forms.one : forms.other;
  return fill(form, { count: new Intl.NumberFormat(language).format(count) });
}

/** `path` with `locale=<linkLocale>` added (or replaced) when the page carries a locale override. */
export function withLinkLocale(path: string, linkLocale: string | null | undefined): string {
  if (!linkLocale) return path;
  const url = new URL(path, "http://local-admin");
  url.searchParams.set("locale", linkLocale);
  return `${url.pathname}${url.search}${url.hash}`;
}

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

const STYLE = `
  *{box-sizing:border-box} body{margin:0;font:14px/1.4 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,sans-serif;background:#f1f1f1;color:#303030}
  header{height:56px;background:#1a1a1a;color:#fff;display:flex;align-items:center;padding:0 16px;gap:12px}
  header .shop{font-weight:600} header .badge{background:#5c5f62;border-radius:8px;padding:2px 8px;font-size:12px}
  .layout{display:flex;min-height:calc(100vh - 56px)} nav.side{width:220px;padding:12px 8px;background:#ebebeb}
  nav.side a{display:block;padding:6px 10px;border-radius:8px;color:#303030;text-decoration:none}
  nav.side a.active,nav.side a:hover{background:#fafafa} nav.side .sub a{padding-left:24px;font-size:13px}
  nav.side .section{margin-top:16px;font-size:12px;color:#616161;padding:0 10px}
  main{flex:1;padding:20px 24px;min-width:0} h1{font-size:20px;margin:0 0 16px}
  .card{background:#fff;border-radius:12px;box-shadow:0 1px 0 rgba(0,0,0,.07);overflow:hidden}
  table{width:100%;border-collapse:collapse} th,td{text-align:left;padding:8px 12px;border-bottom:1px solid #ebebeb}
  th{font-size:12px;color:#616161;font-weight:600;background:#f7f7f7}
  .toolbar{display:flex;gap:8px;align-items:center;padding:8px 12px;border-bottom:1px solid #ebebeb}
  .toolbar input[type=search]{flex:1;padding:6px 10px;border:1px solid #c9c9c9;border-radius:8px}
  button,.button{font:inherit;padding:6px 12px;border-radius:8px;border:1px solid #c9c9c9;background:#fff;cursor:pointer;color:#303030;text-decoration:none}
  button:disabled{opacity:.5;cursor:default} .menu{position:relative;display:inline-block}
  .menu-items{display:none;position:absolute;right:0;top:100%;background:#fff;border-radius:10px;box-shadow:0 4px 16px rgba(0,0,0,.2);min-width:240px;z-index:10;padding:6px}
  .menu.open .menu-items{display:block} .menu-items button{display:block;width:100%;text-align:left;border:0;border-radius:6px}
  .menu-items button:hover{background:#f1f1f1} .state{font-size:12px;border-radius:8px;padding:2px 8px;background:#e3e3e3}
  .state.ENABLED{background:#cdfed4} .state.INVITED{background:#e0f0ff} .state.DECLINED{background:#fed3d1}
  .pager{display:flex;justify-content:center;gap:8px;padding:10px}
  .titlebar{display:flex;align-items:center;gap:8px;margin:-20px -24px 0;padding:12px 24px;background:#fff;border-bottom:1px solid #e3e3e3}
  .titlebar h1{margin:0;font-size:16px} .app-frame{width:100%;height:calc(100vh - 56px - 53px);border:0;display:block;margin:0 -24px;width:calc(100% + 48px)}
  #toasts{position:fixed;bottom:24px;left:50%;transform:translateX(-50%);display:flex;flex-direction:column;gap:8px;z-index:50}
  .toast{background:#1a1a1a;color:#fff;padding:10px 16px;border-radius:10px} .toast.error{background:#8e1f0b}
  #selected-count{color:#616161}
  header .staff{margin-left:auto;display:flex;align-items:center;gap:6px;font-size:13px}
  header .staff select{font:inherit;padding:2px 6px;border-radius:6px}
`;

function chrome(
  options: AdminChromeOptions,
  active: "customers" | "segments" | "app",
  body: string,
  navLinks = "",
): string {
  const text = adminText(options.locale);
  const link = (path: string) => escapeHtml(withLinkLocale(path, options.linkLocale));
  return `<!doctype html><html lang="${escapeHtml(options.locale ?? "en")}"><head><meta charset="utf-8"><title>${escapeHtml(options.shopName)} · ${escapeHtml(text.titleSuffix)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style>${STYLE}</style></head><body>
<header><span class="shop">${escapeHtml(options.shopName)}</span><span>${escapeHtml(options.shop)}</span><span class="badge">${escapeHtml(text.badge)}</span>${staffSelect(options)}</header>
<div class="layout"><nav class="side" aria-label="${escapeHtml(text.navLabel)}">
<a href="${link(options.customersPath)}" class="${active === "customers" ? "active" : ""}">${escapeHtml(text.customers)}</a>
${options.segmentsPath ? `<div class="sub"><a href="${link(options.segmentsPath)}" class="${active === "segments" ? "active" : ""}">${escapeHtml(text.segments)}</a></div>` : ""}
<div class="section">${escapeHtml(text.apps)}</div>
<a href="${link(options.appBasePath)}" class="${active === "app" ? "active" : ""}">${escapeHtml(options.appName)}</a>
<div class="sub" id="app-nav">${navLinks}</div>
</nav><main>${body}</main></div><div id="toasts" role="status" aria-live="polite"></div></body></html>`;
}

/** The header's "Acting as" select: choosing someone reloads the page with `?staff=<id>`. */
function staffSelect(options: AdminChromeOptions): string {
  const staff = options.staff;
  if (!staff || staff.members.length === 0) return "";
  const text = adminText(options.locale);
  const items = staff.members
    .map((member) => {
      const label = member.isShopOwner ? fill(text.owner, { name: member.name }) : member.name;
      const selected = member.id === staff.id ? " selected" : "";
      return `<option value="${escapeHtml(member.id)}"${selected}>${escapeHtml(label)}</option>`;
    })
    .join("");
  return `<label class="staff">${escapeHtml(text.actingAs)} <select id="acting-staff" aria-label="${escapeHtml(text.actingAs)}">${items}</select></label>
<script>document.getElementById('acting-staff').addEventListener('change', function(e){ var to = new URL(window.location.href); to.searchParams.set('staff', e.target.value); window.location.href = to.pathname + to.search; });</script>`;
}

/** The `sub` the page's session tokens carry (undefined: the emulator's default). */
function staffSub(options: AdminChromeOptions): string | undefined {
  return options.staff?.id;
}

export interface CustomersPageOptions extends AdminChromeOptions {
  customers: AdminCustomerRow[];
  query: string;
  /** Pager links (`linkLocale` is added to them). */
  nextPage: string | null;
  previousPage: string | null;
  totalCount: number;
  /** Admin UI extensions of the app to offer in "More actions" (run by extensionHost.js). */
  extensions?: LocalAdminExtension[];
  /** Where the extensions' backend and the host script live; required when `extensions` is given. */
  extensionHost?: ExtensionHostOptions;
}

/** One built admin action extension, as `shopify app build` leaves it in extensions/<name>/dist/. */
export interface LocalAdminExtension {
  /** Only `admin.customer-index.selection-action.render` extensions are offered on the customer list. */
  target: string;
  /** The menu label (the extension's translated name). */
  label: string;
  /** URL of the built bundle (<handle>.js), served by the emulator. */
  bundleUrl: string;
  /** The extension's default locale (locales/en.default.json), for `shopify.i18n.translate`. */
  locale: Record<string, unknown>;
  /** The language of `locale` (the `en` of en.default.json; default "en"). */
  defaultLanguage?: string;
  /**
   * The extension's files for the admin locale, most specific first (`fr-CA.json`, then `fr.json`),
   * without the default: `translate` looks a key up in each, then in `locale`.
   */
  translations?: ExtensionTranslations[];
}

export interface ExtensionTranslations {
  language: string;
  messages: Record<string, unknown>;
}

export interface ExtensionHostOptions {
  /** URL of extensionHost.js, served by the emulator. */
  scriptPath: string;
  /** The app's application_url: the extensions' relative fetches go there, with a session token. */
  appUrl: string;
  /** POST { shop } → { token }: the emulator's control API. */
  sessionTokenPath: string;
}

const SELECTION_ACTION_TARGET = "admin.customer-index.selection-action.render";

export function renderCustomersPage(options: CustomersPageOptions): string {
  const text = adminText(options.locale);
  const language = adminLanguage(options.locale);
  const link = (path: string) => escapeHtml(withLinkLocale(path, options.linkLocale));
  const hosted = options.extensionHost
    ? (options.extensions ?? []).filter((extension) => extension.target === SELECTION_ACTION_TARGET)
    : [];
  const extensionItems = hosted
    .map(
      (extension, index) =>
        `<button type="button" role="menuitem" data-extension="${index}">${escapeHtml(extension.label)}</button>`,
    )
    .join("");
  const rows = options.customers
    .map((customer) => {
      const name = [customer.firstName, customer.lastName].filter(Boolean).join(" ") || text.noName;
      const state = text.states[customer.state] ?? customer.state.toLowerCase();
      return `<tr><td><input type="checkbox" name="customer" value="${escapeHtml(customer.id)}" aria-label="${escapeHtml(fill(text.select, { name }))}"></td>
<td>${escapeHtml(name)}</td><td>${customer.email ? escapeHtml(customer.email) : `<em>${escapeHtml(text.noEmail)}</em>`}</td>
<td><span class="state ${escapeHtml(customer.state)}">${escapeHtml(state)}</span></td><td>${escapeHtml(customer.tags.join(", "))}</td></tr>`;
    })
    .join("");
  const pager = `<div class="pager">${options.previousPage ? `<a class="button" href="${link(options.previousPage)}">${escapeHtml(text.previous)}</a>` : ""}${options.nextPage ? `<a class="button" href="${link(options.nextPage)}">${escapeHtml(text.next)}</a>` : ""}</div>`;
  const keepLocale = options.linkLocale
    ? `<input type="hidden" name="locale" value="${escapeHtml(options.linkLocale)}">`
    : "";
  const totalText = countText(options.locale, text.customerCount, options.totalCount);
  const body = `<h1>${escapeHtml(text.customers)}</h1><div class="card">
<form class="toolbar" method="get"><input type="search" name="query" aria-label="${escapeHtml(text.searchLabel)}" placeholder="${escapeHtml(text.searchPlaceholder)}" value="${escapeHtml(options.query)}">${keepLocale}<button type="submit">${escapeHtml(text.search)}</button></form>
<div class="toolbar"><label><input type="checkbox" id="select-all" aria-label="${escapeHtml(text.selectAllLabel)}"> ${escapeHtml(text.selectAll)}</label>
<span id="selected-count">${escapeHtml(totalText)}</span><span style="flex:1"></span>
<div class="menu" id="more-actions"><button type="button" id="more-actions-button" aria-haspopup="true" disabled>${escapeHtml(text.moreActions)}</button>
<div class="menu-items" role="menu"><button type="button" role="menuitem" data-action="open-app">${escapeHtml(fill(text.openApp, { app: options.appName }))}</button>${extensionItems}</div></div></div>
<table><thead><tr><th></th><th>${escapeHtml(text.columns.customer)}</th><th>${escapeHtml(text.columns.email)}</th><th>${escapeHtml(text.columns.account)}</th><th>${escapeHtml(text.columns.tags)}</th></tr></thead><tbody>${rows}</tbody></table>${pager}</div>
<script>
(function(){
  var boxes = Array.prototype.slice.call(document.querySelectorAll('input[name=customer]'));
  var all = document.getElementById('select-all'); var more = document.getElementById('more-actions');
  var button = document.getElementById('more-actions-button'); var count = document.getElementById('selected-count');
  var selectedForms = ${scriptJson(text.selectedCount)}; var totalText = ${scriptJson(totalText)};
  var plural = new Intl.PluralRules(${scriptJson(language)}); var numbers = new Intl.NumberFormat(${scriptJson(language)});
  function selected(){ return boxes.filter(function(b){return b.checked}).map(function(b){return b.value}); }
  function selectedText(n){ return (plural.select(n) === 'one' ? selectedForms.one : selectedForms.other).replace('{count}', numbers.format(n)); }
  function update(){ var n = selected().length; button.disabled = n === 0; count.textContent = n ? selectedText(n) : totalText; }
  boxes.forEach(function(b){ b.addEventListener('change', update); });
  all.addEventListener('change', function(){ boxes.forEach(function(b){ b.checked = all.checked; }); update(); });
  button.addEventListener('click', function(){ more.classList.toggle('open'); });
  document.addEventListener('click', function(e){ if (!more.contains(e.target)) more.classList.remove('open'); });
  more.querySelector('[data-action=open-app]').addEventListener('click', function(){
    window.location.href = ${scriptJson(withLinkLocale(options.appBasePath, options.linkLocale))};
  });
  window.localAdmin = { selected: selected };
})();
</script>${hosted.length > 0 && options.extensionHost ? extensionHostScript(options, hosted, options.extensionHost) : ""}`;
  return chrome(options, "customers", body);
}

/** JSON for an inline script (no `</script>` can end it early). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

/**
 * Opens an extension from "More actions" through extensionHost.js, with `data.selected` from
 * `selectedScript` (a JS expression: the checked customers, or the segment the page shows).
 */
function extensionHostScript(
  options: AdminChromeOptions,
  extensions: LocalAdminExtension[],
  host: ExtensionHostOptions,
  selectedScript = "window.localAdmin.selected().map(function(id){ return { id: id }; })",
) {
  const config = {
    shop: options.shop,
    appUrl: host.appUrl,
    appBasePath: options.appBasePath,
    sessionTokenPath: host.sessionTokenPath,
    sub: staffSub(options) ?? null,
    language: options.locale ?? "en",
    linkLocale: options.linkLocale ?? null,
    extensions: extensions.map(({ target, label, bundleUrl, locale, defaultLanguage, translations }) => ({
      target,
      title: label,
      bundleUrl,
      locale,
      defaultLanguage: defaultLanguage ?? "en",
      translations: translations ?? [],
    })),
  };
  return `<script src="${escapeHtml(host.scriptPath)}"></script>
<script>
(function(){
  var config = ${scriptJson(config)};
  document.querySelectorAll('[data-extension]').forEach(function(item){
    item.addEventListener('click', function(){
      var extension = config.extensions[Number(item.getAttribute('data-extension'))];
      document.getElementById('more-actions').classList.remove('open');
      window.localAdminExtensionHost.open({
        target: extension.target, title: extension.title, bundleUrl: extension.bundleUrl, locale: extension.locale,
        defaultLanguage: extension.defaultLanguage, translations: extension.translations, language: config.language,
        appUrl: config.appUrl, shop: config.shop, sub: config.sub, sessionTokenPath: config.sessionTokenPath, appBasePath: config.appBasePath,
        linkLocale: config.linkLocale,
        selected: ${selectedScript}
      });
    });
  });
})();
</script>`;
}

export interface SegmentRow {
  id: string;
  name: string;
  query: string;
  /** Members now; null when the query uses a filter the emulator does not evaluate. */
  memberCount: number | null;
  /** Local admin path of its details page. */
  path: string;
}

export function renderSegmentsPage(options: AdminChromeOptions & { segments: SegmentRow[] }): string {
  const text = adminText(options.locale);
  const link = (path: string) => escapeHtml(withLinkLocale(path, options.linkLocale));
  const rows = options.segments
    .map(
      (segment) =>
        `<tr><td><a href="${link(segment.path)}">${escapeHtml(segment.name)}</a></td><td><code>${escapeHtml(segment.query)}</code></td><td>${segment.memberCount === null ? "—" : escapeHtml(countText(options.locale, text.segmentMembers, segment.memberCount))}</td></tr>`,
    )
    .join("");
  const body = `<h1>${escapeHtml(text.segments)}</h1><div class="card">${
    rows
      ? `<table><thead><tr><th>${escapeHtml(text.segments)}</th><th>${escapeHtml(text.segmentQuery)}</th><th>${escapeHtml(text.customers)}</th></tr></thead><tbody>${rows}</tbody></table>`
      : `<p style="padding:12px">${escapeHtml(text.noSegments)}</p>`
  }</div>`;
  return chrome(options, "segments", body);
}

export interface SegmentPageOptions extends AdminChromeOptions {
  segment: SegmentRow;
  /** The first members, as the segment page lists them. */
  members: AdminCustomerRow[];
  /** Only `admin.customer-segment-details.action.render` extensions are offered here. */
  extensions?: LocalAdminExtension[];
  extensionHost?: ExtensionHostOptions;
}

const SEGMENT_ACTION_TARGET = "admin.customer-segment-details.action.render";

/** A segment's details, with "More actions" offering the app's segment actions (`data.selected`: the segment). */
export function renderSegmentPage(options: SegmentPageOptions): string {
  const text = adminText(options.locale);
  const hosted = options.extensionHost
    ? (options.extensions ?? []).filter((extension) => extension.target === SEGMENT_ACTION_TARGET)
    : [];
  const items = hosted
    .map(
      (extension, index) =>
        `<button type="button" role="menuitem" data-extension="${index}">${escapeHtml(extension.label)}</button>`,
    )
    .join("");
  const rows = options.members
    .map((customer) => {
      const name = [customer.firstName, customer.lastName].filter(Boolean).join(" ") || text.noName;
      const state = text.states[customer.state] ?? customer.state.toLowerCase();
      return `<tr><td>${escapeHtml(name)}</td><td>${customer.email ? escapeHtml(customer.email) : `<em>${escapeHtml(text.noEmail)}</em>`}</td><td><span class="state ${escapeHtml(customer.state)}">${escapeHtml(state)}</span></td><td>${escapeHtml(customer.tags.join(", "))}</td></tr>`;
    })
    .join("");
  const count =
    options.segment.memberCount === null
      ? ""
      : countText(options.locale, text.segmentMembers, options.segment.memberCount);
  const body = `<h1>${escapeHtml(options.segment.name)}</h1><div class="card">
<div class="toolbar"><code id="segment-query">${escapeHtml(options.segment.query)}</code><span id="segment-count">${escapeHtml(count)}</span><span style="flex:1"></span>
<div class="menu" id="more-actions"><button type="button" id="more-actions-button" aria-haspopup="true">${escapeHtml(text.moreActions)}</button>
<div class="menu-items" role="menu">${items}</div></div></div>
<table><thead><tr><th>${escapeHtml(text.columns.customer)}</th><th>${escapeHtml(text.columns.email)}</th><th>${escapeHtml(text.columns.account)}</th><th>${escapeHtml(text.columns.tags)}</th></tr></thead><tbody>${rows}</tbody></table></div>
<script>
(function(){
  var more = document.getElementById('more-actions');
  document.getElementById('more-actions-button').addEventListener('click', function(){ more.classList.toggle('open'); });
  document.addEventListener('click', function(e){ if (!more.contains(e.target)) more.classList.remove('open'); });
})();
</script>${
    hosted.length > 0 && options.extensionHost
      ? extensionHostScript(
          options,
          hosted,
          options.extensionHost,
          `[{ id: ${scriptJson(options.segment.id)} }]`,
        )
      : ""
  }`;
  return chrome(options, "segments", body);
}

export interface AppPageOptions extends AdminChromeOptions {
  /** Full URL of the app page to embed, with embedded, shop, host and id_token already set. */
  appSrc: string;
  appOrigin: string;
  /** Where the page asks for fresh session tokens (the emulator's control API). */
  sessionTokenPath: string;
}

export function renderAppPage(options: AppPageOptions): string {
  const text = adminText(options.locale);
  const body = `<div class="titlebar"><h1 id="app-title">${escapeHtml(options.appName)}</h1><span id="app-loading" hidden>${escapeHtml(text.loading)}</span></div>
<iframe class="app-frame" id="app-iframe" title="${escapeHtml(options.appName)}" src="${escapeHtml(options.appSrc)}"></iframe>
<script>
(function(){
  var frame = document.getElementById('app-iframe'); var appOrigin = ${JSON.stringify(options.appOrigin)};
  var shop = ${JSON.stringify(options.shop)}; var sub = ${scriptJson(staffSub(options) ?? null)}; var base = ${JSON.stringify(options.appBasePath)}; var linkLocale = ${scriptJson(options.linkLocale ?? null)};
  function reply(message, result, error){ frame.contentWindow.postMessage({ source: 'local-admin', id: message.id, result: result, error: error }, appOrigin); }
  function toast(payload){ var el = document.createElement('div'); el.className = 'toast' + (payload.isError ? ' error' : ''); el.textContent = payload.message; el.setAttribute('data-toast-id', payload.id); document.getElementById('toasts').appendChild(el); setTimeout(function(){ el.remove(); }, 5000); }
  window.addEventListener('message', function(event){
    if (event.origin !== appOrigin || event.source !== frame.contentWindow) return;
    var message = event.data || {}; if (message.source !== 'app-bridge-stand-in') return;
    if (message.type === 'idToken') {
      fetch(${JSON.stringify(options.sessionTokenPath)}, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(sub ? { shop: shop, sub: sub } : { shop: shop }) })
        .then(function(r){ if (!r.ok) throw new Error('session token: HTTP ' + r.status); return r.json(); })
        .then(function(body){ reply(message, { token: body.token, expiresAt: body.expiresAt ? Date.parse(body.expiresAt) || body.expiresAt : Date.now() + 60000 }); })
        .catch(function(error){ reply(message, null, String(error.message || error)); });
    } else if (message.type === 'user') { reply(message, { id: sub || 'local-staff' });
    } else if (message.type === 'toast') { toast(message.payload);
    } else if (message.type === 'loading') { document.getElementById('app-loading').hidden = !message.payload.isLoading;
    } else if (message.type === 'titleBar') { document.getElementById('app-title').textContent = message.payload.title || ${JSON.stringify(options.appName)}; document.title = (message.payload.title || '') + ' · ' + ${JSON.stringify(options.appName)};
    } else if (message.type === 'navMenu') {
      var nav = document.getElementById('app-nav'); nav.innerHTML = '';
      message.payload.links.forEach(function(link){ if (link.home) return; var a = document.createElement('a'); a.textContent = link.label; var to = new URL(base + link.href.replace(/^\\/app/, ''), window.location.href); if (linkLocale) to.searchParams.set('locale', linkLocale); a.href = to.pathname + to.search + to.hash; a.addEventListener('click', function(e){ e.preventDefault(); frame.contentWindow.postMessage({ source: 'local-admin', type: 'navigate', payload: { href: link.href } }, appOrigin); }); nav.appendChild(a); });
    }
  });
})();
</script>`;
  return chrome(options, "app", body);
}
