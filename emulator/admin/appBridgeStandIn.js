// A stand-in for Shopify's App Bridge (https://cdn.shopify.com/shopifycloud/app-bridge.js), served by the
// emulator and loaded by the app only when it runs against the emulator (demo and browser tests).
// It provides what the app uses of the real one, over postMessage to the local admin page (the parent
// frame), the way App Bridge talks to Shopify admin:
//   - shopify.idToken(): a fresh session token, signed by the emulator with the app's secret;
//   - fetch(): same-origin requests carry `Authorization: Bearer <session token>`;
//   - shopify.toast.show(), shopify.loading(), shopify.config (`locale` is the admin user's language,
//     from the `locale` parameter the local admin puts on the iframe's URL, like Shopify admin does);
//   - <ui-title-bar> and <ui-nav-menu>: rendered by the local admin around the iframe;
//   - nav clicks in the admin become `shopify:navigate` events, as AppProvider expects.
(function () {
  "use strict";
  if (window.shopify) return;
  var script = document.currentScript;
  var apiKey = script && script.getAttribute("data-api-key");
  var params = new URLSearchParams(window.location.search);
  // sessionStorage keeps shop and host across the app's own navigations; a browser may deny it to frames.
  function remember(key, value) {
    try {
      if (value) window.sessionStorage.setItem(key, value);
      return value || window.sessionStorage.getItem(key) || "";
    } catch {
      return value || "";
    }
  }
  var shop = remember("emulator:shop", params.get("shop"));
  var host = remember("emulator:host", params.get("host"));
  // Kept across the app's own navigations (which drop the parameter), like shop and host.
  var locale = remember("emulator:locale", params.get("locale")) || "en";
  var parentWindow = window.parent !== window ? window.parent : null;
  var pending = {};
  var sequence = 0;

  function request(type, payload) {
    if (!parentWindow)
      return Promise.reject(new Error("App Bridge stand-in: not embedded in the local admin"));
    var id = "ab-" + ++sequence;
    return new Promise(function (resolve, reject) {
      pending[id] = { resolve: resolve, reject: reject };
      parentWindow.postMessage({ source: "app-bridge-stand-in", id: id, type: type, payload: payload }, "*");
      setTimeout(function () {
        if (pending[id]) {
          delete pending[id];
          reject(new Error("App Bridge stand-in: no answer to " + type));
        }
      }, 10000);
    });
  }

  function notify(type, payload) {
    if (parentWindow)
      parentWindow.postMessage({ source: "app-bridge-stand-in", type: type, payload: payload }, "*");
  }

  window.addEventListener("message", function (event) {
    if (event.source !== parentWindow) return;
    var data = event.data || {};
    if (data.source !== "local-admin") return;
    if (data.id && pending[data.id]) {
      var entry = pending[data.id];
      delete pending[data.id];
      if (data.error) entry.reject(new Error(data.error));
      else entry.resolve(data.result);
      return;
    }
    if (data.type === "navigate" && data.payload && data.payload.href) {
      var link = document.createElement("a");
      link.setAttribute("href", data.payload.href);
      link.style.display = "none";
      document.body.appendChild(link);
      link.dispatchEvent(new CustomEvent("shopify:navigate", { bubbles: true }));
      link.remove();
    }
  });

  var token = null;
  var tokenExpires = 0;
  function idToken() {
    if (token && Date.now() < tokenExpires - 10000) return Promise.resolve(token);
    return request("idToken", { shop: shop }).then(function (result) {
      token = result.token;
      tokenExpires = result.expiresAt;
      return token;
    });
  }

  var nativeFetch = window.fetch.bind(window);
  window.fetch = function (input, init) {
    var url = new URL(
      typeof input === "string" || input instanceof URL ? String(input) : input.url,
      window.location.href,
    );
    if (url.origin !== window.location.origin) return nativeFetch(input, init);
    return idToken().then(function (value) {
      var headers = new Headers(
        (init && init.headers) || (input instanceof Request ? input.headers : undefined),
      );
      if (!headers.has("Authorization")) headers.set("Authorization", "Bearer " + value);
      var nextInit = Object.assign({}, init || {}, { headers: headers });
      return nativeFetch(input instanceof Request ? new Request(input, nextInit) : input, nextInit);
    });
  };

  window.shopify = {
    config: { apiKey: apiKey, shop: shop, host: host, locale: locale },
    environment: { embedded: Boolean(parentWindow), mobile: false, pos: false },
    origin: window.location.origin,
    idToken: idToken,
    toast: {
      show: function (message, options) {
        var id = "toast-" + ++sequence;
        notify("toast", { id: id, message: String(message), isError: Boolean(options && options.isError) });
        return id;
      },
      hide: function (id) {
        notify("toast:hide", { id: id });
      },
    },
    loading: function (isLoading) {
      notify("loading", { isLoading: isLoading !== false });
    },
    user: function () {
      return request("user", {});
    },
  };

  // The admin draws the title bar and navigation; in the app's document they take no space. A style
  // sheet rather than an attribute, so React's hydration finds the elements exactly as the server sent them.
  var chromeStyle = document.createElement("style");
  chromeStyle.textContent = "ui-title-bar,ui-nav-menu,ui-save-bar,ui-modal{display:none !important}";
  (document.head || document.documentElement).appendChild(chromeStyle);

  function defineChrome(name, render) {
    if (customElements.get(name)) return;
    customElements.define(
      name,
      class extends HTMLElement {
        connectedCallback() {
          render(this);
          this._observer = new MutationObserver(() => render(this));
          this._observer.observe(this, {
            attributes: true,
            childList: true,
            subtree: true,
            characterData: true,
          });
        }
        disconnectedCallback() {
          if (this._observer) this._observer.disconnect();
        }
      },
    );
  }

  defineChrome("ui-title-bar", function (element) {
    var buttons = Array.prototype.map.call(element.querySelectorAll("button"), function (button) {
      return button.textContent || "";
    });
    notify("titleBar", { title: element.getAttribute("title") || "", buttons: buttons });
  });

  defineChrome("ui-nav-menu", function (element) {
    var links = Array.prototype.map.call(element.querySelectorAll("a"), function (anchor) {
      return {
        label: anchor.textContent || "",
        href: anchor.getAttribute("href") || "",
        home: anchor.getAttribute("rel") === "home",
      };
    });
    notify("navMenu", { links: links });
  });

  notify("ready", { href: window.location.pathname + window.location.search });
})();
