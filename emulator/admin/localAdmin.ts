// The local admin: a small stand-in for Shopify admin that the demo and the browser tests open. It lists a
// shop's customers (with checkboxes and a "More actions" menu, like admin's customer index) and embeds
// the app the way admin does: an iframe on the app's URL with shop, host and a fresh id_token, plus the
// App Bridge stand-in (appBridgeStandIn.js) answering the app over postMessage.

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
`;

function chrome(
  options: AdminChromeOptions,
  active: "customers" | "app",
  body: string,
  navLinks = "",
): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(options.shopName)} · Local admin</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style>${STYLE}</style></head><body>
<header><span class="shop">${escapeHtml(options.shopName)}</span><span>${escapeHtml(options.shop)}</span><span class="badge">Local Shopify emulator</span></header>
<div class="layout"><nav class="side" aria-label="Admin">
<a href="${options.customersPath}" class="${active === "customers" ? "active" : ""}">Customers</a>
<div class="section">Apps</div>
<a href="${options.appBasePath}" class="${active === "app" ? "active" : ""}">${escapeHtml(options.appName)}</a>
<div class="sub" id="app-nav">${navLinks}</div>
</nav><main>${body}</main></div><div id="toasts" role="status" aria-live="polite"></div></body></html>`;
}

export interface CustomersPageOptions extends AdminChromeOptions {
  customers: AdminCustomerRow[];
  query: string;
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
      const name = [customer.firstName, customer.lastName].filter(Boolean).join(" ") || "(no name)";
      return `<tr><td><input type="checkbox" name="customer" value="${escapeHtml(customer.id)}" aria-label="Select ${escapeHtml(name)}"></td>
<td>${escapeHtml(name)}</td><td>${customer.email ? escapeHtml(customer.email) : "<em>no email</em>"}</td>
<td><span class="state ${escapeHtml(customer.state)}">${escapeHtml(customer.state.toLowerCase())}</span></td><td>${escapeHtml(customer.tags.join(", "))}</td></tr>`;
    })
    .join("");
  const pager = `<div class="pager">${options.previousPage ? `<a class="button" href="${options.previousPage}">Previous</a>` : ""}${options.nextPage ? `<a class="button" href="${options.nextPage}">Next</a>` : ""}</div>`;
  const body = `<h1>Customers</h1><div class="card">
<form class="toolbar" method="get"><input type="search" name="query" aria-label="Search customers" placeholder="Search customers (state:disabled, tag:vip, …)" value="${escapeHtml(options.query)}"><button type="submit">Search</button></form>
<div class="toolbar"><label><input type="checkbox" id="select-all" aria-label="Select all customers on this page"> Select all</label>
<span id="selected-count">${options.totalCount} customers</span><span style="flex:1"></span>
<div class="menu" id="more-actions"><button type="button" id="more-actions-button" aria-haspopup="true" disabled>More actions</button>
<div class="menu-items" role="menu"><button type="button" role="menuitem" data-action="open-app">Open ${escapeHtml(options.appName)}</button>${extensionItems}</div></div></div>
<table><thead><tr><th></th><th>Customer</th><th>Email</th><th>Account</th><th>Tags</th></tr></thead><tbody>${rows}</tbody></table>${pager}</div>
<script>
(function(){
  var boxes = Array.prototype.slice.call(document.querySelectorAll('input[name=customer]'));
  var all = document.getElementById('select-all'); var more = document.getElementById('more-actions');
  var button = document.getElementById('more-actions-button'); var count = document.getElementById('selected-count');
  function selected(){ return boxes.filter(function(b){return b.checked}).map(function(b){return b.value}); }
  function update(){ var n = selected().length; button.disabled = n === 0; count.textContent = n ? n + ' selected' : '${options.totalCount} customers'; }
  boxes.forEach(function(b){ b.addEventListener('change', update); });
  all.addEventListener('change', function(){ boxes.forEach(function(b){ b.checked = all.checked; }); update(); });
  button.addEventListener('click', function(){ more.classList.toggle('open'); });
  document.addEventListener('click', function(e){ if (!more.contains(e.target)) more.classList.remove('open'); });
  more.querySelector('[data-action=open-app]').addEventListener('click', function(){
    window.location.href = ${JSON.stringify(options.appBasePath)};
  });
  window.localAdmin = { selected: selected };
})();
</script>${hosted.length > 0 && options.extensionHost ? extensionHostScript(options, hosted, options.extensionHost) : ""}`;
  return chrome(options, "customers", body);
}

/** Opens an extension from "More actions" with the checked customers, through extensionHost.js. */
function extensionHostScript(
  options: CustomersPageOptions,
  extensions: LocalAdminExtension[],
  host: ExtensionHostOptions,
) {
  const config = {
    shop: options.shop,
    appUrl: host.appUrl,
    appBasePath: options.appBasePath,
    sessionTokenPath: host.sessionTokenPath,
    extensions: extensions.map(({ target, label, bundleUrl, locale }) => ({
      target,
      title: label,
      bundleUrl,
      locale,
    })),
  };
  return `<script src="${escapeHtml(host.scriptPath)}"></script>
<script>
(function(){
  var config = ${JSON.stringify(config).replace(/</g, "\\u003c")};
  document.querySelectorAll('[data-extension]').forEach(function(item){
    item.addEventListener('click', function(){
      var extension = config.extensions[Number(item.getAttribute('data-extension'))];
      document.getElementById('more-actions').classList.remove('open');
      window.localAdminExtensionHost.open({
        target: extension.target, title: extension.title, bundleUrl: extension.bundleUrl, locale: extension.locale,
        appUrl: config.appUrl, shop: config.shop, sessionTokenPath: config.sessionTokenPath, appBasePath: config.appBasePath,
        selected: window.localAdmin.selected().map(function(id){ return { id: id }; })
      });
    });
  });
})();
</script>`;
}

export interface AppPageOptions extends AdminChromeOptions {
  /** Full URL of the app page to embed, with embedded, shop, host and id_token already set. */
  appSrc: string;
  appOrigin: string;
  /** Where the page asks for fresh session tokens (the emulator's control API). */
  sessionTokenPath: string;
}

export function renderAppPage(options: AppPageOptions): string {
  const body = `<div class="titlebar"><h1 id="app-title">${escapeHtml(options.appName)}</h1><span id="app-loading" hidden>Loading…</span></div>
<iframe class="app-frame" id="app-iframe" title="${escapeHtml(options.appName)}" src="${escapeHtml(options.appSrc)}"></iframe>
<script>
(function(){
  var frame = document.getElementById('app-iframe'); var appOrigin = ${JSON.stringify(options.appOrigin)};
  var shop = ${JSON.stringify(options.shop)}; var base = ${JSON.stringify(options.appBasePath)};
  function reply(message, result, error){ frame.contentWindow.postMessage({ source: 'local-admin', id: message.id, result: result, error: error }, appOrigin); }
  function toast(payload){ var el = document.createElement('div'); el.className = 'toast' + (payload.isError ? ' error' : ''); el.textContent = payload.message; el.setAttribute('data-toast-id', payload.id); document.getElementById('toasts').appendChild(el); setTimeout(function(){ el.remove(); }, 5000); }
  window.addEventListener('message', function(event){
    if (event.origin !== appOrigin || event.source !== frame.contentWindow) return;
    var message = event.data || {}; if (message.source !== 'app-bridge-stand-in') return;
    if (message.type === 'idToken') {
      fetch(${JSON.stringify(options.sessionTokenPath)}, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ shop: shop }) })
        .then(function(r){ if (!r.ok) throw new Error('session token: HTTP ' + r.status); return r.json(); })
        .then(function(body){ reply(message, { token: body.token, expiresAt: body.expiresAt ? Date.parse(body.expiresAt) || body.expiresAt : Date.now() + 60000 }); })
        .catch(function(error){ reply(message, null, String(error.message || error)); });
    } else if (message.type === 'user') { reply(message, { id: 'local-staff' });
    } else if (message.type === 'toast') { toast(message.payload);
    } else if (message.type === 'loading') { document.getElementById('app-loading').hidden = !message.payload.isLoading;
    } else if (message.type === 'titleBar') { document.getElementById('app-title').textContent = message.payload.title || ${JSON.stringify(options.appName)}; document.title = (message.payload.title || '') + ' · ' + ${JSON.stringify(options.appName)};
    } else if (message.type === 'navMenu') {
      var nav = document.getElementById('app-nav'); nav.innerHTML = '';
      message.payload.links.forEach(function(link){ if (link.home) return; var a = document.createElement('a'); a.textContent = link.label; a.href = base + link.href.replace(/^\\/app/, ''); a.addEventListener('click', function(e){ e.preventDefault(); frame.contentWindow.postMessage({ source: 'local-admin', type: 'navigate', payload: { href: link.href } }, appOrigin); }); nav.appendChild(a); });
    }
  });
})();
</script>`;
  return chrome(options, "app", body);
}
