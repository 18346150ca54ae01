// The one switch between Shopify and the local emulator (see emulator/README.md and the app README).
//
// With SHOPIFY_EMULATOR_URL set, `node --import ./emulator/preload.mjs` installs an undici dispatcher
// that sends every request for https://<shop>.myshopify.com/... to the emulator instead, with the
// shop's host in X-Forwarded-Host and the sending process's pid in X-Emulator-Client. The app's code is unchanged: @shopify/shopify-api still calls
// https://{shop}/admin/oauth/access_token and /admin/api/{version}/graphql.json; only the wire moves.
// Production never loads this file. Node's fetch and the npm undici share one global dispatcher slot,
// so this catches both (Remix's installGlobals({ nativeFetch: true }) uses the npm undici).
import { Agent, getGlobalDispatcher, setGlobalDispatcher } from "undici";

const SHOP_HOST = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/i;

class EmulatorDispatcher extends Agent {
  #target;
  constructor(target) {
    super({ connections: 256 });
    this.#target = new URL(target);
  }
  dispatch(options, handler) {
    const origin = new URL(String(options.origin));
    if (origin.protocol === "https:" && SHOP_HOST.test(origin.hostname)) {
      // X-Emulator-Client: which process sent it (the emulator's mutation log; never sent to Shopify).
      const headers = withHeader(
        withHeader(options.headers, "x-forwarded-host", origin.hostname),
        "x-emulator-client",
        String(process.pid),
      );
      return super.dispatch({ ...options, origin: this.#target.origin, headers }, handler);
    }
    return super.dispatch(options, handler);
  }
}

// undici passes headers as a flat [name, value, ...] array, an iterable of pairs, or a plain object.
function withHeader(headers, name, value) {
  if (!headers) return { [name]: value };
  if (Array.isArray(headers)) {
    const flat = Array.isArray(headers[0]) ? headers.flat() : headers;
    return [...flat, name, value];
  }
  if (typeof headers[Symbol.iterator] === "function") return [...Array.from(headers).flat(), name, value];
  return { ...headers, [name]: value };
}

let previous = null;

/** Routes https://*.myshopify.com to the emulator at `url`; returns a function that undoes it. */
export function routeShopifyToEmulator(url) {
  previous ??= getGlobalDispatcher();
  setGlobalDispatcher(new EmulatorDispatcher(url));
  return () => {
    if (previous) setGlobalDispatcher(previous);
    previous = null;
  };
}

if (process.env.SHOPIFY_EMULATOR_URL) {
  routeShopifyToEmulator(process.env.SHOPIFY_EMULATOR_URL);
}
