// Shopify Flow, as far as an app meets it:
// - the app's triggers, as `shopify app deploy` would register them (its `flow_trigger` extensions), and
//   `flowTriggerReceive` (resolvers/mutations.ts) recording each call a shop makes, validated the way the
//   captures in ../shared/shopify-captures/flow/ show (messages, their order, the 50,000-byte limit);
// - the app's actions (its `flow_action` extensions) run through the control API the way Flow runs them:
//   a POST of Flow's payload to the action's runtime URL path on the app, signed with the app secret
//   (X-Shopify-Hmac-SHA256 over the raw body), resent with the same action_run_id on a timeout, 202, 429
//   or 5xx. Every choice where Shopify's behaviour is not known is listed in emulator/README.md, "Flow".
import { createHmac, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { HttpError, sleep } from "./http";
import type { Shop } from "./model";
import type { Emulator } from "./server";
import type { EmulatorStore } from "./store";

// ---------------------------------------------------------------------------------------------------
// The app's Flow extensions
// ---------------------------------------------------------------------------------------------------

export interface FlowField {
  type: string;
  /** The property key (a reference field's key is `<object>_id`, e.g. customer_id). */
  key: string;
}

export interface FlowTriggerDefinition {
  handle: string;
  title: string;
  fields: FlowField[];
}

export interface FlowActionDefinition {
  handle: string;
  title: string;
  /** The runtime URL's path: the emulator posts to the app's URL + this path. */
  path: string;
  fields: FlowField[];
}

/** `[[settings.fields]]` of an extension toml (a small line parser, enough for the keys Flow uses). */
function tomlFields(toml: string): FlowField[] {
  const fields: FlowField[] = [];
  let current: { type?: string; key?: string } | null = null;
  const flush = () => {
    if (current?.type) {
      const reference = /^(\w+)_reference$/.exec(current.type);
      fields.push({ type: current.type, key: reference ? `${reference[1]}_id` : (current.key ?? "") });
    }
    current = null;
  };
  for (const raw of toml.split("\n")) {
    const line = raw.replace(/#.*$/, "").trim();
    if (line.startsWith("[")) {
      flush();
      if (line === "[[settings.fields]]") current = {};
      continue;
    }
    const m = /^(type|key)\s*=\s*"([^"]*)"$/.exec(line);
    if (m && current) current[m[1] as "type" | "key"] = m[2]!;
  }
  flush();
  return fields;
}

const tomlValue = (toml: string, key: string) =>
  new RegExp(`^\\s*${key}\\s*=\\s*"([^"]*)"`, "m").exec(toml)?.[1] ?? null;

/** The Flow extensions in an app's extensions/ folder (each `<name>/shopify.extension.toml`). */
export function flowExtensionsFrom(dir: string): {
  triggers: FlowTriggerDefinition[];
  actions: FlowActionDefinition[];
  /** The path of the `flow_trigger_lifecycle_callback` extension's `url`, if the app has one. */
  lifecyclePath: string | null;
} {
  const triggers: FlowTriggerDefinition[] = [];
  const actions: FlowActionDefinition[] = [];
  let lifecyclePath: string | null = null;
  if (!existsSync(dir)) return { triggers, actions, lifecyclePath };
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = resolve(dir, entry.name, "shopify.extension.toml");
    if (!entry.isDirectory() || !existsSync(path)) continue;
    const toml = readFileSync(path, "utf8");
    const type = tomlValue(toml, "type");
    const handle = tomlValue(toml, "handle");
    if (!handle) continue;
    const title = tomlValue(toml, "name") ?? handle;
    if (type === "flow_trigger") triggers.push({ handle, title, fields: tomlFields(toml) });
    if (type === "flow_action") {
      const url = tomlValue(toml, "runtime_url");
      const path = url ? new URL(url).pathname : `/flow/${handle}`;
      actions.push({ handle, title, path, fields: tomlFields(toml) });
    }
    if (type === "flow_trigger_lifecycle_callback") {
      const url = tomlValue(toml, "url");
      if (url) lifecyclePath = new URL(url).pathname;
    }
  }
  return { triggers, actions, lifecyclePath };
}

// ---------------------------------------------------------------------------------------------------
// Per-emulator state: definitions, and what each shop received
// ---------------------------------------------------------------------------------------------------

export interface TriggerCall {
  at: string;
  handle: string | null;
  /** The trigger's properties (`payload`, or `body.properties`), as received. */
  properties: unknown;
  /** The size Flow checks: the properties' JSON in bytes. */
  bytes: number;
  /** Schema errors (each as it appears in the userError's message); empty when accepted. */
  errors: string[];
  accepted: boolean;
}

interface FlowState {
  triggers: Map<string, FlowTriggerDefinition>;
  actions: Map<string, FlowActionDefinition>;
  calls: WeakMap<Shop, TriggerCall[]>;
  runs: WeakMap<Shop, ActionRun[]>;
  lifecyclePath: string | null;
  /** Per shop, per trigger handle: whether an enabled workflow uses it, and the callbacks sent. */
  workflows: WeakMap<Shop, Map<string, boolean>>;
  callbacks: WeakMap<Shop, LifecycleCallback[]>;
}

const states = new WeakMap<EmulatorStore, FlowState>();

export function flowState(store: EmulatorStore): FlowState {
  let state = states.get(store);
  if (!state) {
    state = {
      triggers: new Map(),
      actions: new Map(),
      calls: new WeakMap(),
      runs: new WeakMap(),
      lifecyclePath: null,
      workflows: new WeakMap(),
      callbacks: new WeakMap(),
    };
    states.set(store, state);
  }
  return state;
}

export function configureFlow(
  store: EmulatorStore,
  {
    triggers = [],
    actions = [],
    lifecyclePath,
  }: {
    triggers?: FlowTriggerDefinition[];
    actions?: FlowActionDefinition[];
    lifecyclePath?: string | null;
  },
) {
  const state = flowState(store);
  if (lifecyclePath !== undefined) state.lifecyclePath = lifecyclePath;
  for (const trigger of triggers) state.triggers.set(trigger.handle, trigger);
  for (const action of actions) state.actions.set(action.handle, action);
}

function listOf<T>(map: WeakMap<Shop, T[]>, shop: Shop): T[] {
  let list = map.get(shop);
  if (!list) {
    list = [];
    map.set(shop, list);
  }
  return list;
}

// ---------------------------------------------------------------------------------------------------
// flowTriggerReceive's validation
// ---------------------------------------------------------------------------------------------------

/** Captured: 50,001 bytes of properties refused, a payload of exactly 50,000 bytes accepted. */
export const FLOW_PROPERTIES_MAX_BYTES = 50_000;
const BODY_FIELDS = new Set(["trigger_id", "trigger_title", "properties", "resources"]);

/** One userError's message for its problems, as captured: a header, then each problem indented. */
export function schemaErrorMessage(problems: string[]): string {
  return `Errors validating schema:\n${problems.map((p) => `  ${p}\n`).join("")}`;
}

const byteSize = (value: unknown) => Buffer.byteLength(JSON.stringify(value ?? {}), "utf8");

function isAbsoluteUrl(value: unknown): boolean {
  if (typeof value !== "string") return false;
  try {
    return Boolean(new URL(value).protocol);
  } catch {
    return false;
  }
}

/**
 * The properties checked against the trigger's declared fields [choice: Shopify's messages for these are
 * not captured; the emulator reuses the captured forms "Required field missing" / "Invalid field"].
 */
function propertyProblems(trigger: FlowTriggerDefinition, properties: unknown): string[] {
  if (typeof properties !== "object" || properties === null || Array.isArray(properties))
    return ["Type error for field 'properties': must be an object."];
  const record = properties as Record<string, unknown>;
  const problems: string[] = [];
  const declared = new Map(trigger.fields.map((f) => [f.key, f]));
  for (const key of Object.keys(record)) if (!declared.has(key)) problems.push(`Invalid field: '${key}'.`);
  for (const field of trigger.fields) {
    const value = record[field.key];
    if (value === undefined || value === null) {
      problems.push(`Required field missing: '${field.key}'.`);
      continue;
    }
    const ok = field.type.endsWith("_reference")
      ? (typeof value === "number" && Number.isSafeInteger(value) && value > 0) ||
        (typeof value === "string" && /^[1-9]\d*$/.test(value))
      : field.type === "number_decimal" || field.type === "number_integer"
        ? typeof value === "number" && Number.isFinite(value)
        : field.type === "boolean"
          ? typeof value === "boolean"
          : typeof value === "string";
    if (!ok) problems.push(`Type error for field '${field.key}': not a valid ${field.type}.`);
  }
  return problems;
}

/**
 * Validates one flowTriggerReceive call (`body`, the older string form, or `handle` + `payload`) as the
 * captures show: root fields and resources first (every problem, in that order), then the properties'
 * size, then the trigger reference (trigger_id / trigger_title / handle), then the properties against
 * the trigger's fields. Returns the problems (empty: accepted).
 */
export function validateTriggerCall(
  triggers: ReadonlyMap<string, FlowTriggerDefinition>,
  args: { body?: string | null; handle?: string | null; payload?: unknown },
): { problems: string[]; trigger: FlowTriggerDefinition | null; properties: unknown; handle: string | null } {
  if (args.body !== undefined && args.body !== null) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(args.body);
    } catch {
      // [choice] the capture has no case of a body that is not JSON
      return { problems: ["Invalid JSON."], trigger: null, properties: null, handle: null };
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
      return { problems: ["Invalid JSON."], trigger: null, properties: null, handle: null };
    const body = parsed as Record<string, unknown>;
    const problems: string[] = [];
    for (const key of Object.keys(body)) if (!BODY_FIELDS.has(key)) problems.push(`Invalid field: '${key}'.`);
    if (body.resources !== undefined) {
      const resources = Array.isArray(body.resources) ? body.resources : [];
      for (const resource of resources as Record<string, unknown>[]) {
        if (resource?.name === undefined) problems.push("Required field missing: 'name'.");
        if (resource?.url === undefined) problems.push("Required field missing: 'url'.");
        else if (!isAbsoluteUrl(resource.url))
          problems.push(`Type error for field 'url': ${String(resource.url)} is not an absolute URL.`);
      }
    }
    if (problems.length > 0) return { problems, trigger: null, properties: body.properties, handle: null };
    if (byteSize(body.properties) > FLOW_PROPERTIES_MAX_BYTES)
      return {
        problems: [`Properties size exceeds the limit of ${FLOW_PROPERTIES_MAX_BYTES} bytes.`],
        trigger: null,
        properties: body.properties,
        handle: null,
      };
    const id = typeof body.trigger_id === "string" ? body.trigger_id : null;
    const title = typeof body.trigger_title === "string" ? body.trigger_title : null;
    // [choice] a body's trigger_id is matched against handles (the emulator has no separate trigger ids)
    const trigger = id !== null ? triggers.get(id) : [...triggers.values()].find((t) => t.title === title);
    if (id === null && title === null)
      return {
        problems: ["Required field missing: 'trigger_id'."],
        trigger: null,
        properties: body.properties,
        handle: null,
      };
    if (!trigger)
      return {
        problems: [id !== null ? `Invalid trigger_id '${id}'.` : `Invalid trigger_title '${title}'.`],
        trigger: null,
        properties: body.properties,
        handle: null,
      };
    return {
      problems: propertyProblems(trigger, body.properties ?? {}),
      trigger,
      properties: body.properties,
      handle: trigger.handle,
    };
  }
  const handle = args.handle ?? null;
  const payload = args.payload ?? {};
  if (byteSize(payload) > FLOW_PROPERTIES_MAX_BYTES)
    return {
      problems: [`Properties size exceeds the limit of ${FLOW_PROPERTIES_MAX_BYTES} bytes.`],
      trigger: null,
      properties: payload,
      handle,
    };
  // [choice] neither body nor handle: reported like a body without a trigger reference
  if (handle === null)
    return {
      problems: ["Required field missing: 'trigger_id'."],
      trigger: null,
      properties: payload,
      handle,
    };
  const trigger = triggers.get(handle);
  if (!trigger)
    return { problems: [`Invalid handle '${handle}'.`], trigger: null, properties: payload, handle };
  return { problems: propertyProblems(trigger, payload), trigger, properties: payload, handle };
}

/** flowTriggerReceive for one shop: records the call and answers its userErrors. */
export function receiveTrigger(
  store: EmulatorStore,
  shop: Shop,
  args: { body?: string | null; handle?: string | null; payload?: unknown },
  now: number,
): { userErrors: { field: string[]; message: string }[] } {
  const state = flowState(store);
  const { problems, properties, handle } = validateTriggerCall(state.triggers, args);
  listOf(state.calls, shop).push({
    at: new Date(now).toISOString(),
    handle,
    properties,
    bytes: byteSize(properties),
    errors: problems,
    accepted: problems.length === 0,
  });
  return {
    userErrors: problems.length > 0 ? [{ field: ["body"], message: schemaErrorMessage(problems) }] : [],
  };
}

// ---------------------------------------------------------------------------------------------------
// Running an action against the app
// ---------------------------------------------------------------------------------------------------

export interface ActionAttempt {
  at: string;
  status: number | null;
  /** The app's answer (what Flow shows the merchant on a failed step), at most 2,000 characters. */
  body: string | null;
  error: string | null;
  durationMs: number;
}

export interface ActionRun {
  actionRunId: string;
  handle: string;
  shop: string;
  url: string;
  /** succeeded: a 200; failed: another 4xx (Flow stops and shows the body); gave-up: retries exhausted. */
  status: "succeeded" | "failed" | "gave-up";
  attempts: ActionAttempt[];
}

export interface ActionRetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  /** Flow waits about 10 s for an answer, then closes the connection and resends later. */
  timeoutMs: number;
}

export const DEFAULT_ACTION_RETRY: ActionRetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 1_000,
  timeoutMs: 10_000,
};

export function flowHmac(body: string, secret: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

/** Statuses Flow resends on (docs: 202, 429, 5xx; a timeout too). Any other non-200 ends the run. */
const retried = (status: number) => status === 202 || status === 429 || status >= 500;

export async function runAction(
  emulator: Emulator,
  shop: Shop,
  options: {
    handle?: string;
    properties: Record<string, unknown>;
    actionRunId?: string;
    retry?: Partial<ActionRetryPolicy>;
    /** Answers treated as lost (as if Flow's 10 s ran out after the app had run): the first N attempts. */
    loseAnswers?: number;
    /** Signs with another secret (a forged request). */
    secret?: string;
  },
): Promise<ActionRun> {
  const state = flowState(emulator.store);
  const action = options.handle ? state.actions.get(options.handle) : [...state.actions.values()][0];
  if (!action)
    throw new HttpError(
      404,
      `Unknown Flow action '${options.handle ?? ""}' (known: ${[...state.actions.keys()].join(", ") || "none"})`,
    );
  const appUrl = emulator.options.appUrl;
  if (!appUrl) throw new HttpError(409, "No appUrl configured: Flow actions cannot be run");
  const retry = { ...DEFAULT_ACTION_RETRY, ...options.retry };
  const url = new URL(action.path, appUrl).href;
  const run: ActionRun = {
    actionRunId: options.actionRunId ?? randomUUID(),
    handle: action.handle,
    shop: shop.domain,
    url,
    status: "gave-up",
    attempts: [],
  };
  listOf(state.runs, shop).push(run);
  // The payload Flow sends (docs: "Flow action execution"); the same bytes on every attempt.
  const body = JSON.stringify({
    shop_id: shop.numericId,
    shopify_domain: shop.domain,
    action_run_id: run.actionRunId,
    action_definition_id: action.handle,
    handle: action.handle,
    properties: options.properties,
  });
  const hmac = flowHmac(body, options.secret ?? emulator.options.apiSecret);
  for (let attempt = 1; attempt <= retry.maxAttempts; attempt++) {
    if (attempt > 1) await sleep(retry.baseDelayMs * 2 ** (attempt - 2));
    const started = Date.now();
    const record: ActionAttempt = {
      at: new Date(emulator.clock.now()).toISOString(),
      status: null,
      body: null,
      error: null,
      durationMs: 0,
    };
    run.attempts.push(record);
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "X-Shopify-Hmac-SHA256": hmac,
          "User-Agent": "Shopify-Flow-Emulator/1.0",
        },
        body,
        signal: AbortSignal.timeout(retry.timeoutMs),
      });
      const text = await response.text();
      record.durationMs = Date.now() - started;
      if (attempt <= (options.loseAnswers ?? 0)) {
        record.error = "answer lost (treated as a timeout)";
        continue;
      }
      record.status = response.status;
      record.body = text.slice(0, 2_000);
      if (response.status === 200) {
        run.status = "succeeded";
        return run;
      }
      if (!retried(response.status)) {
        run.status = "failed";
        return run;
      }
    } catch (error) {
      record.durationMs = Date.now() - started;
      record.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
  }
  return run;
}

// ---------------------------------------------------------------------------------------------------
// Workflows using a trigger, and the lifecycle callback
// ---------------------------------------------------------------------------------------------------

export interface LifecycleCallback {
  at: string;
  handle: string;
  hasEnabledFlow: boolean;
  url: string | null;
  status: number | null;
  error: string | null;
}

/** Flow waits briefly for the app's answer to a lifecycle callback (the docs say "promptly"). */
export const LIFECYCLE_TIMEOUT_MS = 5_000;

/**
 * The merchant enables or disables a workflow using an app trigger. Flow sends the lifecycle callback
 * (docs: "Track Flow lifecycle events") when the shop's use of the trigger changes; enabling succeeds only
 * if the app answers 2xx. Disabling always succeeds (the callback is sent, its answer only recorded).
 * Without a lifecycle callback extension, nothing is sent and enabling succeeds.
 */
export async function setWorkflow(
  emulator: Emulator,
  shop: Shop,
  options: { handle: string; enabled: boolean; secret?: string },
): Promise<{ enabled: boolean; callback: LifecycleCallback | null }> {
  const state = flowState(emulator.store);
  if (!state.triggers.has(options.handle))
    throw new HttpError(
      404,
      `Unknown Flow trigger '${options.handle}' (known: ${[...state.triggers.keys()].join(", ") || "none"})`,
    );
  let uses = state.workflows.get(shop);
  if (!uses) {
    uses = new Map();
    state.workflows.set(shop, uses);
  }
  if (!state.lifecyclePath) {
    uses.set(options.handle, options.enabled);
    return { enabled: options.enabled, callback: null };
  }
  const appUrl = emulator.options.appUrl;
  const url = appUrl ? new URL(state.lifecyclePath, appUrl).href : null;
  const callback: LifecycleCallback = {
    at: new Date(emulator.clock.now()).toISOString(),
    handle: options.handle,
    hasEnabledFlow: options.enabled,
    url,
    status: null,
    error: null,
  };
  listOf(state.callbacks, shop).push(callback);
  const body = JSON.stringify({
    flow_trigger_definition_id: options.handle,
    has_enabled_flow: options.enabled,
    shop_id: shop.numericId,
    shopify_domain: shop.domain,
    timestamp: callback.at,
  });
  if (!url) callback.error = "No appUrl configured";
  else
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "X-Shopify-Hmac-SHA256": flowHmac(body, options.secret ?? emulator.options.apiSecret),
          "User-Agent": "Shopify-Flow-Emulator/1.0",
        },
        body,
        signal: AbortSignal.timeout(LIFECYCLE_TIMEOUT_MS),
      });
      await response.text();
      callback.status = response.status;
    } catch (error) {
      callback.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
  const answered = callback.status !== null && callback.status >= 200 && callback.status < 300;
  const enabled = options.enabled ? answered : false;
  if (options.enabled && !answered) {
    // The workflow stays off; the shop's use is what it was.
    return { enabled: uses.get(options.handle) ?? false, callback };
  }
  uses.set(options.handle, enabled);
  return { enabled, callback };
}

// ---------------------------------------------------------------------------------------------------
// Control API: /__emulator/flow/...
// ---------------------------------------------------------------------------------------------------

function requireShop(emulator: Emulator, domain: unknown): Shop {
  const shop = emulator.store.getShop(typeof domain === "string" ? domain : null);
  if (!shop)
    throw new HttpError(
      404,
      `Unknown shop '${String(domain ?? "")}' (create it with POST /__emulator/shops)`,
    );
  return shop;
}

export async function handleFlowControl(
  emulator: Emulator,
  request: { method: string; path: string; url: URL; body: Record<string, unknown> },
): Promise<{ status: number; body: unknown } | null> {
  const { method, path, url, body } = request;
  if (!path.startsWith("/flow/")) return null;
  const state = flowState(emulator.store);
  if (path === "/flow/actions/run" && method === "POST") {
    const shop = requireShop(emulator, body.shop);
    const properties = body.properties;
    if (typeof properties !== "object" || properties === null || Array.isArray(properties))
      throw new HttpError(400, "properties must be an object");
    const run = await runAction(emulator, shop, {
      handle: typeof body.handle === "string" ? body.handle : undefined,
      properties: properties as Record<string, unknown>,
      actionRunId: typeof body.actionRunId === "string" ? body.actionRunId : undefined,
      retry:
        typeof body.retry === "object" && body.retry ? (body.retry as Partial<ActionRetryPolicy>) : undefined,
      loseAnswers: typeof body.loseAnswers === "number" ? body.loseAnswers : undefined,
      secret: typeof body.secret === "string" ? body.secret : undefined,
    });
    return { status: 200, body: { run } };
  }
  if (path === "/flow/actions/runs" && method === "GET") {
    const shop = requireShop(emulator, url.searchParams.get("shop"));
    return { status: 200, body: { runs: state.runs.get(shop) ?? [] } };
  }
  if (path === "/flow/workflows" && method === "POST") {
    const shop = requireShop(emulator, body.shop);
    if (typeof body.trigger !== "string" || typeof body.enabled !== "boolean")
      throw new HttpError(400, "trigger (a trigger handle) and enabled (boolean) are required");
    const result = await setWorkflow(emulator, shop, {
      handle: body.trigger,
      enabled: body.enabled,
      secret: typeof body.secret === "string" ? body.secret : undefined,
    });
    return { status: 200, body: result };
  }
  if (path === "/flow/workflows" && method === "GET") {
    const shop = requireShop(emulator, url.searchParams.get("shop"));
    return {
      status: 200,
      body: {
        workflows: Object.fromEntries(state.workflows.get(shop) ?? []),
        callbacks: state.callbacks.get(shop) ?? [],
      },
    };
  }
  if (path === "/flow/triggers" && method === "GET") {
    const shop = requireShop(emulator, url.searchParams.get("shop"));
    return { status: 200, body: { calls: state.calls.get(shop) ?? [] } };
  }
  if (path === "/flow/definitions" && method === "GET")
    return {
      status: 200,
      body: { triggers: [...state.triggers.values()], actions: [...state.actions.values()] },
    };
  if (path === "/flow/definitions" && method === "POST") {
    configureFlow(emulator.store, {
      triggers: Array.isArray(body.triggers) ? (body.triggers as FlowTriggerDefinition[]) : [],
      actions: Array.isArray(body.actions) ? (body.actions as FlowActionDefinition[]) : [],
    });
    return {
      status: 200,
      body: { triggers: [...state.triggers.values()], actions: [...state.actions.values()] },
    };
  }
  return null;
}
