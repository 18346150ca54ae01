import { render } from "preact";
import { afterEach, beforeEach, vi } from "vitest";

// Helpers for the extensions' component tests: one extension target set up for each test, the
// merchant's words (a translator over the real locale file), a fake app backend behind `fetch`, answers
// of the app's API, and queries by what the merchant sees (labels, headings).

type Locale = { [key: string]: string | Locale };
type Options = Record<string, unknown>;

/**
 * Shopify's `i18n.translate` over a locale file: `{{name}}` replacements and `count` plurals chosen by
 * the language's CLDR rules (French "one" is 0 and 1). No fallback: a missing key throws.
 */
export function translatorFor(locale: Locale, language = "en") {
  const plural = new Intl.PluralRules(language);
  return (key: string, options: Options = {}): string => {
    let node: string | Locale | undefined = locale;
    for (const part of key.split(".")) node = typeof node === "object" ? node[part] : undefined;
    if (typeof node === "object" && typeof options.count === "number") {
      node = node[plural.select(options.count)] ?? node.other;
    }
    if (typeof node !== "string") throw new Error(`No translation for "${key}"`);
    return node.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(options[name]));
  };
}

interface I18nLike {
  translate: unknown;
  formatDate: unknown;
  formatNumber: unknown;
}

/**
 * Makes the mock `shopify.i18n` speak the extension's locale file in `language` (numbers formatted for
 * it, `5 000` in French), with dates as `2026-11-20 09:30` whatever the language.
 */
export function useLocale(i18n: I18nLike, locale: Locale, language = "en") {
  Object.assign(i18n, {
    translate: translatorFor(locale, language),
    formatNumber: (value: number | bigint) => new Intl.NumberFormat(language).format(value),
    formatDate: (date: Date) => date.toISOString().slice(0, 16).replace("T", " "),
  });
}

export interface BackendCall {
  method: string;
  path: string;
  body: unknown;
}

type Answer = Response | "network-error" | Promise<Response>;
type Route = Answer | ((call: BackendCall) => Answer);

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

/**
 * A fake app backend: `routes["POST /api/campaigns"]` answers that route; a list answers call after
 * call (the last answer repeats). Unknown routes answer 404 so a wrong URL fails loudly.
 */
export function fakeBackend(routes: Record<string, Route | Route[]>) {
  const calls: BackendCall[] = [];
  const served = new Map<string, number>();
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const method = (init?.method ?? "GET").toUpperCase();
    const path = String(input);
    const body = typeof init?.body === "string" ? JSON.parse(init.body) : null;
    const call = { method, path, body };
    calls.push(call);
    const key = `${method} ${path}`;
    const route = routes[key];
    if (route === undefined) return json(404, { error: `No fake route for ${key}` });
    const index = served.get(key) ?? 0;
    served.set(key, index + 1);
    const step = Array.isArray(route) ? route[Math.min(index, route.length - 1)]! : route;
    const answer = typeof step === "function" ? step(call) : step;
    if (answer === "network-error") throw new TypeError("Failed to fetch");
    return answer instanceof Response ? answer.clone() : answer;
  });
  return {
    fetch,
    calls,
    callsTo: (method: string, path: string) =>
      calls.filter((call) => call.method === method && call.path === path),
  };
}

/** What `getExtension` of @shopify/ui-extensions-tester gives, as far as the harness needs it. */
interface Harness {
  setUp(): void;
  tearDown(): void;
  fetch: typeof globalThis.fetch;
  shopify: object;
}

/**
 * `extension` (the test file's `getExtension(target)`: the tester finds the target's toml from the file
 * that calls it) set up before each test of the file, the mock `shopify` global speaking `locale` and
 * `selected` the resources admin hands over when given, and torn down after it, its UI unmounted.
 * `useBackend` puts a fake app backend behind the extension's `fetch`; `select` hands the action other
 * resources (gids) before it renders.
 */
export function extensionUnderTest<E extends Harness>(
  extension: E,
  locale: Locale,
  { selected }: { selected?: string[] } = {},
) {
  // Every target these tests render has `i18n` and `data.selected`; the harness's own type is per target.
  // (`extension.shopify` exists only between setUp and tearDown.)
  const host = () => extension.shopify as { i18n: I18nLike; data: { selected: { id: string }[] } };
  const select = (ids: string[]) => {
    host().data.selected = ids.map((id) => ({ id }));
  };
  beforeEach(() => {
    extension.setUp();
    useLocale(host().i18n, locale);
    if (selected) select(selected);
  });
  afterEach(() => {
    unmount();
    extension.tearDown();
  });
  function useBackend(routes: Parameters<typeof fakeBackend>[0]) {
    const backend = fakeBackend(routes);
    extension.fetch = backend.fetch;
    return backend;
  }
  return { extension, useBackend, select };
}

/** `count` customer gids, numbered from `from`. */
export const customerGids = (count: number, from = 1) =>
  Array.from({ length: count }, (_, index) => `gid://shopify/Customer/${from + index}`);

/** The JSON body a call sent, to read its fields. */
export const bodyOf = (call: BackendCall | undefined) => call?.body as Record<string, unknown>;

/** GET /api/customers/:id/history's answer: the customer's account state and events, newest first. */
export function customerHistory(customerId: string, state: string | null, events: object[] = []) {
  return json(200, { customer: { id: customerId, state }, events });
}

/** A promise the test resolves when it wants: for states that last while a request is out. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

export function unmount() {
  render(null, document.body);
}

/** The text a merchant reads in an element: one space between elements, whitespace collapsed. */
export function textOf(node: Node): string {
  const parts: string[] = [];
  const walk = (current: Node) => {
    if (current.nodeType === Node.TEXT_NODE) parts.push(current.textContent ?? "");
    else
      current.childNodes.forEach((child) => {
        parts.push(" ");
        walk(child);
        parts.push(" ");
      });
  };
  walk(node);
  return parts.join("").replace(/\s+/g, " ").trim();
}

export const screenText = () => textOf(document.body);

function describeAll(selector: string, describe: (element: Element) => string) {
  return Array.from(document.querySelectorAll(selector)).map(describe).join(", ") || "none";
}

export function button(label: string): HTMLElement {
  const found = Array.from(document.querySelectorAll<HTMLElement>("s-button")).find(
    (element) => element.textContent?.trim() === label,
  );
  if (!found)
    throw new Error(
      `No button "${label}"; buttons: ${describeAll("s-button", (b) => `"${b.textContent?.trim()}"`)}`,
    );
  return found;
}

export function queryButton(label: string): HTMLElement | null {
  try {
    return button(label);
  } catch {
    return null;
  }
}

/** A text field or text area by its label. */
export function field(label: string): HTMLElement & { value?: string } {
  const found = document.querySelector<HTMLElement>(
    `s-text-field[label="${label}"], s-text-area[label="${label}"]`,
  );
  if (!found)
    throw new Error(
      `No field "${label}"; fields: ${describeAll("s-text-field, s-text-area", (f) => `"${f.getAttribute("label")}"`)}`,
    );
  return found;
}

export function banner(heading: string): HTMLElement {
  const found = document.querySelector<HTMLElement>(`s-banner[heading="${heading}"]`);
  if (!found)
    throw new Error(
      `No banner "${heading}"; banners: ${describeAll("s-banner", (b) => `"${b.getAttribute("heading")}"`)}`,
    );
  return found;
}

export function queryBanner(heading: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`s-banner[heading="${heading}"]`);
}

export function click(element: HTMLElement) {
  element.dispatchEvent(new MouseEvent("click", { bubbles: true }));
}

export function type(element: HTMLElement & { value?: string }, value: string) {
  element.value = value;
  element.dispatchEvent(new Event("input", { bubbles: true }));
  element.dispatchEvent(new Event("change", { bubbles: true }));
}

/** Lets Preact re-render after an input (a merchant never clicks within the same tick as typing). */
export function settle() {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Waits for the UI to settle after a click or an answer (effects and re-renders are asynchronous). */
export function eventually(assertion: () => void, timeout = 2_000) {
  return vi.waitFor(assertion, { timeout, interval: 10 });
}
