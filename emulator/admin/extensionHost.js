// A stand-in for Shopify admin's UI extension host, for the demo and browser tests: it runs an app's
// built admin action bundle (extensions/<name>/dist/<handle>.js, as `shopify app build` writes it) in a
// modal over the local admin's customer list, the way admin opens "More actions" extensions.
//
// How a built bundle starts: it is one script that calls `shopify.extend(target, fn)`; the host then
// calls `fn()`, which renders Preact into `document.body` with Polaris web components (`s-button`, ...).
// Shopify runs it in a sandboxed worker with a remote DOM; here it runs in a sandboxed iframe
// (`allow-scripts` only: an opaque origin, no access to the admin page) whose `shopify` global gives:
//   - extension.target, data.selected ([{ id }]), close(), i18n, auth.idToken(), storage (in memory),
//     query() (answers an error: direct API access is not emulated, so should-render logic that
//     depends on it fails open);
//   - i18n in the admin user's language (`language`): translate() looks a key up in the extension's
//     files for that language, most specific first (`translations`: fr-CA.json, fr.json), then in its
//     default locale (`locale`, en.default.json), key by key, with each file's own CLDR plural rules;
//     formatNumber/formatCurrency/formatDate format for `language`, or for the default locale's
//     language with `inExtensionLocale: true`. Admin's I18n has exactly these four members (no
//     `locale` property: see @shopify/ui-extensions' api.d.ts), and so does this one;
//   - fetch(): relative URLs resolve against the app's URL and carry `Authorization: Bearer <session
//     token>`, tokens coming from the admin page (POST /__emulator/session-token { shop, sub } → { token },
//     `sub` being the staff member the local admin acts as);
//   - minimal custom elements so the s-* components are readable and usable;
//   - `app:` links navigate the admin to the app's page (app:app/campaigns/1 → <appBasePath>/campaigns/1,
//     query kept, with `?locale=<linkLocale>` when the admin page carries a locale override), from
//     `s-link` and from `s-button href` alike. That is the whole of an admin action's navigation: its API
//     (ActionExtensionApi, 2026-07) has no `navigation` object (only block extensions get
//     `navigation.navigate`, to other extensions), so none is offered here either;
//
// The admin page loads this file and calls
//   localAdminExtensionHost.open({ target, title, bundleUrl, locale, defaultLanguage ("en"),
//                                  translations ([{ language, messages }]), language ("en"), appUrl,
//                                  shop, sessionTokenPath, appBasePath, linkLocale, selected: [{ id }] })
(function () {
  "use strict";
  if (window.localAdminExtensionHost) return;

  var HOST_STYLE =
    ".ext-overlay{position:fixed;inset:0;background:rgba(0,0,0,.45);display:flex;align-items:flex-start;justify-content:center;padding-top:8vh;z-index:40}" +
    ".ext-modal{background:#fff;border-radius:14px;box-shadow:0 8px 32px rgba(0,0,0,.3);width:min(640px,94vw);overflow:hidden}" +
    ".ext-modal iframe{display:block;width:100%;height:min(620px,78vh);border:0}";

  function open(options) {
    if (!document.getElementById("ext-host-style")) {
      var style = document.createElement("style");
      style.id = "ext-host-style";
      style.textContent = HOST_STYLE;
      document.head.appendChild(style);
    }
    var overlay = document.createElement("div");
    overlay.className = "ext-overlay";
    overlay.setAttribute("data-extension-target", options.target);
    var modal = document.createElement("div");
    modal.className = "ext-modal";
    modal.setAttribute("role", "dialog");
    modal.setAttribute("aria-modal", "true");
    modal.setAttribute("aria-label", options.title);
    var frame = document.createElement("iframe");
    frame.title = options.title;
    frame.setAttribute("sandbox", "allow-scripts");
    var language = options.language || document.documentElement.lang || "en";
    var defaultLanguage = options.defaultLanguage || "en";
    frame.srcdoc = frameDocument({
      target: options.target,
      title: options.title,
      bundleUrl: new URL(options.bundleUrl, window.location.href).href,
      appUrl: options.appUrl,
      selected: options.selected || [],
      i18n: {
        language: language,
        defaultLanguage: defaultLanguage,
        currency: options.currency || "USD",
        locales: (options.translations || []).concat([
          { language: defaultLanguage, messages: options.locale || {} },
        ]),
      },
    });
    modal.appendChild(frame);
    overlay.appendChild(modal);
    document.body.appendChild(overlay);

    var token = null;
    var tokenExpires = 0;
    function idToken() {
      if (token && Date.now() < tokenExpires - 10000) return Promise.resolve(token);
      return fetch(options.sessionTokenPath, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(options.sub ? { shop: options.shop, sub: options.sub } : { shop: options.shop }),
      })
        .then(function (response) {
          if (!response.ok) throw new Error("session token: HTTP " + response.status);
          return response.json();
        })
        .then(function (body) {
          token = body.token;
          tokenExpires = body.expiresAt
            ? Date.parse(body.expiresAt) || Date.now() + 60000
            : Date.now() + 60000;
          return token;
        });
    }
    function close() {
      window.removeEventListener("message", onMessage);
      document.removeEventListener("keydown", onKey);
      overlay.remove();
    }
    function onKey(event) {
      if (event.key === "Escape") close();
    }
    function reply(message, result, error) {
      frame.contentWindow.postMessage(
        { source: "extension-host", id: message.id, result: result, error: error },
        "*",
      );
    }
    function onMessage(event) {
      // The sandboxed frame has an opaque origin ("null"): trust the window, not the origin.
      if (event.source !== frame.contentWindow) return;
      var message = event.data || {};
      if (message.source !== "extension-frame") return;
      if (message.type === "idToken") {
        idToken().then(
          function (value) {
            reply(message, value);
          },
          function (error) {
            reply(message, null, String(error.message || error));
          },
        );
      } else if (message.type === "query") {
        reply(message, {
          errors: [{ message: "Direct Admin API access is not emulated by the local admin" }],
        });
      } else if (message.type === "close") {
        close();
      } else if (message.type === "navigate") {
        var href = String(message.href || "");
        if (href.indexOf("app:") === 0) {
          var path = href
            .slice(4)
            .replace(/^\/+/, "")
            .replace(/^app(\/|$)/, "");
          var to = new URL(options.appBasePath + (path ? "/" + path : ""), window.location.href);
          if (options.linkLocale) to.searchParams.set("locale", options.linkLocale);
          window.location.href = to.pathname + to.search + to.hash;
        } else if (/^https?:/.test(href)) {
          window.open(href, "_blank", "noopener");
        }
      }
    }
    window.addEventListener("message", onMessage);
    document.addEventListener("keydown", onKey);
    overlay.addEventListener("click", function (event) {
      if (event.target === overlay) close();
    });
    return { close: close, frame: frame };
  }

  function frameDocument(config) {
    return (
      '<!doctype html><html lang="' +
      String(config.i18n.language).replace(/[^A-Za-z0-9-]/g, "") +
      '"><head><meta charset="utf-8"><style>' +
      FRAME_STYLE +
      "</style></head><body><script>(" +
      frameBootstrap.toString() +
      ")(" +
      JSON.stringify(config).replace(/</g, "\\u003c") +
      ", " +
      createI18n.toString() +
      ")</script></body></html>"
    );
  }

  // shopify.i18n over a chain of locale files ({ language, messages }, most specific first, the default
  // locale last). Runs inside the sandboxed iframe too (serialised into srcdoc): no outer variables.
  function createI18n(config) {
    var locales = config.locales || [];
    var rules = {};
    function pluralFor(language) {
      if (!rules[language]) rules[language] = new Intl.PluralRules(language);
      return rules[language];
    }
    function lookup(messages, key) {
      var node = messages;
      key.split(".").forEach(function (part) {
        node = node && typeof node === "object" ? node[part] : undefined;
      });
      return node;
    }
    // The first file that has the key wins; a plural key picks its form by that file's language.
    function message(key, count) {
      for (var i = 0; i < locales.length; i++) {
        var node = lookup(locales[i].messages, key);
        if (typeof node === "string") return node;
        if (node && typeof node === "object" && typeof count === "number") {
          var form = node[pluralFor(locales[i].language).select(count)];
          if (typeof form !== "string") form = node.other;
          if (typeof form === "string") return form;
        }
      }
      return null;
    }
    function translate(key, options) {
      options = options || {};
      var text = message(key, options.count);
      if (text === null) return key;
      return text.replace(/\{\{\s*(\w+)\s*\}\}/g, function (_, name) {
        return name in options ? String(options[name]) : "";
      });
    }
    function localeFor(options) {
      return options && options.inExtensionLocale ? config.defaultLanguage : config.language;
    }
    function intlOptions(options, defaults) {
      var result = {};
      var key;
      for (key in defaults || {}) result[key] = defaults[key];
      for (key in options || {}) if (key !== "inExtensionLocale") result[key] = options[key];
      return result;
    }
    return {
      translate: translate,
      formatNumber: function (value, options) {
        return new Intl.NumberFormat(localeFor(options), intlOptions(options)).format(value);
      },
      formatCurrency: function (value, options) {
        return new Intl.NumberFormat(
          localeFor(options),
          intlOptions(options, { style: "currency", currency: config.currency || "USD" }),
        ).format(value);
      },
      formatDate: function (date, options) {
        return new Intl.DateTimeFormat(localeFor(options), intlOptions(options)).format(date);
      },
    };
  }

  var FRAME_STYLE =
    "html,body{margin:0;font:14px/1.45 -apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,sans-serif;color:#303030;background:#fff}" +
    "s-stack{display:flex;flex-direction:column;gap:12px}" +
    "s-stack[direction=inline]{flex-direction:row;flex-wrap:wrap}" +
    "s-stack[gap=small],s-stack[gap=small-200]{gap:8px}" +
    "s-stack[alignitems=center]{align-items:center}" +
    "s-text,s-paragraph,s-heading{display:block}s-stack[direction=inline]>s-text{display:inline}" +
    "s-text[type=strong]{font-weight:600}s-text[color=subdued],s-paragraph[color=subdued]{color:#616161}" +
    "s-text[tone=critical]{color:#8e1f0b}s-text[tone=success]{color:#0c5132}s-text[tone=caution]{color:#5e4200}" +
    "s-paragraph{margin:0}s-heading{font-weight:650;font-size:15px}" +
    "s-badge{display:inline-block;border-radius:8px;padding:1px 8px;font-size:12px;background:#e3e3e3}" +
    "s-badge[tone=success]{background:#cdfed4}s-badge[tone=info]{background:#e0f0ff}s-badge[tone=warning]{background:#ffef9d}" +
    "s-badge[tone=critical]{background:#fed3d1}" +
    "s-unordered-list{display:block;margin:0;padding-left:20px}s-list-item{display:list-item}" +
    "s-divider{display:block;border-top:1px solid #e3e3e3}";

  // Runs inside the sandboxed iframe. Kept free of outer variables: it is serialised into srcdoc.
  function frameBootstrap(config, createI18n) {
    var pending = {};
    var sequence = 0;
    function ask(type, payload) {
      var id = "x-" + ++sequence;
      return new Promise(function (resolve, reject) {
        pending[id] = { resolve: resolve, reject: reject };
        var message = { source: "extension-frame", id: id, type: type };
        for (var key in payload || {}) message[key] = payload[key];
        window.parent.postMessage(message, "*");
      });
    }
    window.addEventListener("message", function (event) {
      if (event.source !== window.parent) return;
      var data = event.data || {};
      if (data.source !== "extension-host" || !pending[data.id]) return;
      var entry = pending[data.id];
      delete pending[data.id];
      if (data.error) entry.reject(new Error(data.error));
      else entry.resolve(data.result);
    });

    // --- i18n in the admin user's language, falling back key by key to the default locale.
    var i18n = createI18n(config.i18n);
    var loadingLabel = /^fr(-|$)/i.test(config.i18n.language) ? "Chargement" : "Loading";

    // --- fetch: relative URLs go to the app, with a session token, as in Shopify admin.
    var appOrigin = new URL(config.appUrl).origin;
    var nativeFetch = window.fetch.bind(window);
    window.fetch = function (input, init) {
      var url = new URL(
        typeof input === "string" || input instanceof URL ? String(input) : input.url,
        config.appUrl,
      );
      if (url.origin !== appOrigin) return nativeFetch(input, init);
      return ask("idToken").then(function (token) {
        var headers = new Headers((init && init.headers) || undefined);
        headers.set("Authorization", "Bearer " + token);
        var next = {};
        for (var key in init || {}) next[key] = init[key];
        next.headers = headers;
        return nativeFetch(url.href, next);
      });
    };

    var memory = new Map();
    var registered = {};
    window.shopify = {
      extension: { target: config.target },
      data: { selected: config.selected },
      close: function () {
        window.parent.postMessage({ source: "extension-frame", type: "close" }, "*");
      },
      i18n: i18n,
      auth: {
        idToken: function () {
          return ask("idToken");
        },
      },
      storage: {
        get: async function (key) {
          return memory.get(key);
        },
        set: async function (key, value) {
          memory.set(key, value);
        },
        delete: async function (key) {
          memory.delete(key);
        },
        clear: async function () {
          memory.clear();
        },
      },
      query: function (query, options) {
        return ask("query", { query: query, variables: options && options.variables });
      },
      resourcePicker: function () {
        return Promise.reject(new Error("resourcePicker is not emulated"));
      },
      extend: function (target, fn) {
        registered[target] = fn;
      },
    };

    // --- Minimal Polaris web components: attributes in, readable HTML out. Preact sets unknown props
    // as attributes (and `value` as a property where the element has one).
    function css(text) {
      var style = document.createElement("style");
      style.textContent = text;
      return style;
    }
    function define(name, options) {
      if (customElements.get(name)) return;
      var Element = class extends HTMLElement {
        static get observedAttributes() {
          return options.attributes || [];
        }
        connectedCallback() {
          if (!this.shadowRoot) {
            var root = this.attachShadow({ mode: "open" });
            root.appendChild(css(":host{display:block}" + (options.style || "")));
            var body = document.createElement("div");
            body.className = "root";
            root.appendChild(body);
            if (options.setup) options.setup(this, body);
          }
          this.update();
        }
        attributeChangedCallback() {
          if (this.shadowRoot) this.update();
        }
        update() {
          if (options.update) options.update.call(this, this.shadowRoot.querySelector(".root"));
        }
      };
      if (options.value) {
        Object.defineProperty(Element.prototype, "value", {
          get: function () {
            var control = this.shadowRoot && this.shadowRoot.querySelector("input,textarea");
            return control ? control.value : this.getAttribute("value") || "";
          },
          set: function (value) {
            var control = this.shadowRoot && this.shadowRoot.querySelector("input,textarea");
            if (control && control.value !== value) control.value = value == null ? "" : value;
            else if (!control) this.setAttribute("value", value == null ? "" : value);
          },
        });
      }
      customElements.define(name, Element);
    }
    function attr(element, name) {
      return element.getAttribute(name);
    }
    function flag(element, name) {
      var value = element.getAttribute(name);
      return value !== null && value !== "false";
    }

    define("s-admin-action", {
      attributes: ["heading", "loading"],
      style:
        ".root{display:flex;flex-direction:column;height:100vh}header{padding:14px 18px;border-bottom:1px solid #e3e3e3;font-weight:650;font-size:16px}" +
        ".bar{height:3px;background:linear-gradient(90deg,#5c6ac4 40%,transparent 40%);background-size:200% 100%;animation:bar 1s linear infinite}" +
        "@keyframes bar{to{background-position:-200% 0}}" +
        ".content{flex:1;overflow:auto;padding:16px 18px}footer{display:flex;justify-content:flex-end;gap:8px;padding:12px 18px;border-top:1px solid #e3e3e3}",
      setup: function (element, body) {
        body.innerHTML =
          '<header></header><div class="bar" hidden></div><div class="content"><slot></slot></div>' +
          '<footer><slot name="secondary-actions"></slot><slot name="primary-action"></slot></footer>';
      },
      update: function (body) {
        body.querySelector("header").textContent = attr(this, "heading") || "";
        body.querySelector(".bar").hidden = !flag(this, "loading");
      },
    });
    define("s-admin-block", {
      attributes: ["heading"],
      style: "header{font-weight:650;margin-bottom:8px}.root{padding:12px}",
      setup: function (element, body) {
        body.innerHTML = "<header></header><slot></slot>";
      },
      update: function (body) {
        body.querySelector("header").textContent = attr(this, "heading") || "";
      },
    });
    define("s-section", {
      attributes: ["heading"],
      style: "h3{font-size:14px;margin:4px 0 8px}",
      setup: function (element, body) {
        body.innerHTML = "<h3></h3><slot></slot>";
      },
      update: function (body) {
        var heading = attr(this, "heading");
        body.querySelector("h3").textContent = heading || "";
        body.querySelector("h3").hidden = !heading;
      },
    });
    define("s-banner", {
      attributes: ["heading", "tone"],
      style:
        ".root{border-radius:10px;padding:10px 12px;background:#eaf4ff;border:1px solid #a8d1ff}" +
        ".root.success{background:#e8fbe9;border-color:#9de0a7}.root.warning{background:#fff8db;border-color:#ffd96b}" +
        ".root.critical{background:#fff0ef;border-color:#fdb5ae}strong{display:block;margin-bottom:2px}" +
        ".actions{display:flex;gap:8px;margin-top:8px}.actions:empty{display:none}",
      setup: function (element, body) {
        body.setAttribute("role", "status");
        body.innerHTML =
          '<strong></strong><slot></slot><div class="actions"><slot name="secondary-actions"></slot></div>';
      },
      update: function (body) {
        body.className = "root " + (attr(this, "tone") || "info");
        body.querySelector("strong").textContent = attr(this, "heading") || "";
      },
    });
    define("s-button", {
      attributes: ["disabled", "loading", "variant", "tone", "href"],
      style:
        ":host{display:inline-block}button{font:inherit;padding:6px 12px;border-radius:8px;border:1px solid #c9c9c9;background:#fff;cursor:pointer;color:#303030}" +
        "button.primary{background:#303030;color:#fff;border-color:#303030}button.critical{color:#8e1f0b;border-color:#e0a39b}" +
        "button:disabled{opacity:.5;cursor:default}",
      setup: function (element, body) {
        body.innerHTML = '<button type="button"><slot></slot></button>';
        // A disabled button must not reach the extension's click listener on the host element.
        element.addEventListener(
          "click",
          function (event) {
            if (flag(element, "disabled") || flag(element, "loading")) event.stopImmediatePropagation();
          },
          true,
        );
        // A button with `href` is a link (LinkBehaviorProps): the click fires first, then admin navigates.
        element.addEventListener("click", function () {
          var href = attr(element, "href");
          if (href && !flag(element, "disabled") && !flag(element, "loading"))
            window.parent.postMessage({ source: "extension-frame", type: "navigate", href: href }, "*");
        });
      },
      update: function (body) {
        var button = body.querySelector("button");
        button.className = [attr(this, "variant"), attr(this, "tone")].filter(Boolean).join(" ");
        button.disabled = flag(this, "disabled") || flag(this, "loading");
        button.setAttribute("aria-busy", flag(this, "loading") ? "true" : "false");
        if (attr(this, "href")) button.setAttribute("data-href", attr(this, "href"));
        else button.removeAttribute("data-href");
      },
    });
    // s-checkbox: `checked` is a property (Preact sets it), `change` reaches the extension's onChange.
    define("s-checkbox", {
      attributes: ["label", "details", "disabled", "error"],
      style:
        "label{display:flex;gap:8px;align-items:flex-start;cursor:pointer}input{margin-top:3px}" +
        ".details{color:#616161;margin:2px 0 0 24px}.error{color:#8e1f0b;margin:2px 0 0 24px}.details:empty,.error:empty{display:none}",
      setup: function (element, body) {
        body.innerHTML =
          '<label><input type="checkbox"><span class="label"></span></label><div class="details"></div><div class="error" role="alert"></div>';
        var input = body.querySelector("input");
        input.checked = Boolean(element._checked);
        input.addEventListener("change", function () {
          element._checked = input.checked;
          element.dispatchEvent(new Event("change", { bubbles: true }));
        });
      },
      update: function (body) {
        body.querySelector(".label").textContent = attr(this, "label") || "";
        body.querySelector(".details").textContent = attr(this, "details") || "";
        body.querySelector(".error").textContent = attr(this, "error") || "";
        body.querySelector("input").disabled = flag(this, "disabled");
      },
    });
    Object.defineProperty(customElements.get("s-checkbox").prototype, "checked", {
      get: function () {
        return Boolean(this._checked);
      },
      set: function (value) {
        this._checked = Boolean(value);
        var input = this.shadowRoot && this.shadowRoot.querySelector("input");
        if (input) input.checked = this._checked;
      },
    });
    define("s-link", {
      attributes: ["href"],
      style: ":host{display:inline}a{color:#005bd3;cursor:pointer}",
      setup: function (element, body) {
        body.innerHTML = '<a role="link" tabindex="0"><slot></slot></a>';
        body.querySelector("a").addEventListener("click", function (event) {
          event.preventDefault();
          var href = attr(element, "href");
          if (href)
            window.parent.postMessage({ source: "extension-frame", type: "navigate", href: href }, "*");
        });
      },
      update: function (body) {
        body.querySelector("a").setAttribute("data-href", attr(this, "href") || "");
      },
    });
    function field(multiline) {
      return {
        value: true,
        attributes: ["label", "error", "details", "readonly", "maxlength", "rows", "value", "disabled"],
        style:
          "label{display:block;font-weight:550;margin-bottom:4px}input,textarea{box-sizing:border-box;width:100%;font:inherit;padding:6px 10px;border:1px solid #8a8a8a;border-radius:8px}" +
          ".error{color:#8e1f0b;margin-top:4px}.details{color:#616161;margin-top:4px}.error:empty,.details:empty{display:none}",
        setup: function (element, body) {
          var id = "f" + Math.random().toString(36).slice(2);
          body.innerHTML =
            '<label for="' +
            id +
            '"></label>' +
            (multiline ? '<textarea id="' + id + '"></textarea>' : '<input id="' + id + '">') +
            '<div class="error" role="alert"></div><div class="details"></div>';
          var control = body.querySelector("input,textarea");
          if (element.hasAttribute("value")) control.value = element.getAttribute("value");
          // `input` crosses the shadow boundary by itself; `change` does not, so it is sent again.
          control.addEventListener("change", function () {
            element.dispatchEvent(new Event("change", { bubbles: true }));
          });
        },
        update: function (body) {
          var control = body.querySelector("input,textarea");
          body.querySelector("label").textContent = attr(this, "label") || "";
          body.querySelector(".error").textContent = attr(this, "error") || "";
          body.querySelector(".details").textContent = attr(this, "details") || "";
          control.readOnly = flag(this, "readonly");
          control.disabled = flag(this, "disabled");
          if (attr(this, "maxlength")) control.maxLength = Number(attr(this, "maxlength"));
          if (multiline) control.rows = Number(attr(this, "rows")) || 3;
          control.setAttribute("aria-invalid", attr(this, "error") ? "true" : "false");
        },
      };
    }
    define("s-text-field", field(false));
    define("s-text-area", field(true));
    define("s-spinner", {
      style:
        ":host{display:inline-block}.root{width:18px;height:18px;border:2px solid #c9c9c9;border-top-color:#303030;border-radius:50%;animation:spin .8s linear infinite}" +
        "@keyframes spin{to{transform:rotate(360deg)}}",
      setup: function (element, body) {
        body.setAttribute("role", "progressbar");
      },
      update: function (body) {
        body.setAttribute("aria-label", attr(this, "accessibilitylabel") || loadingLabel);
      },
    });

    var script = document.createElement("script");
    script.src = config.bundleUrl;
    script.onload = function () {
      var run = registered[config.target];
      if (!run) {
        document.body.textContent = "The bundle did not register " + config.target + ".";
        return;
      }
      Promise.resolve(run()).catch(function (error) {
        document.body.textContent =
          "The extension failed: " + (error && error.message ? error.message : error);
      });
    };
    script.onerror = function () {
      document.body.textContent = "Could not load the extension bundle " + config.bundleUrl + ".";
    };
    document.body.appendChild(script);
  }

  window.localAdminExtensionHost = { open: open, createI18n: createI18n };
})();
