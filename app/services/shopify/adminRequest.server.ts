import { z } from "zod";
import type { ThrottleStatus } from "~/types/admin";

// The one edge of every Admin API call the app makes, in the worker and in requests: a timeout and one
// classified outcome. `requestAdmin` is for the sender, which acts on each kind of outcome; `askAdmin`
// is for a merchant's request, which cannot wait for retries and answers 503 instead.
//
// `admin.graphql` reports trouble in four different ways (https://shopify.dev/docs/api/usage/limits):
// THROTTLED arrives as HTTP 200 with a GraphQL error and is thrown as GraphqlQueryError; 5xx as
// HttpResponseError (or, inside authenticate.admin, as a thrown Response); a timeout or a dropped
// connection as HttpRequestError. The sender needs one answer: did the request run, may it have run, or
// was it refused? Errors are recognised by shape, not by class, because the library's classes are not
// part of this app's dependencies.

export interface GraphqlErrorInfo {
  message: string;
  code?: string;
  path?: (string | number)[];
}

export type AdminOutcome<Data> =
  /** Shopify answered. `errors` holds field-level errors that came with (partial) data. */
  | {
      kind: "answered";
      data: Data | undefined;
      /** Data that came with GraphQL errors, unparsed (see classifyFailure). */
      partialData?: unknown;
      errors: GraphqlErrorInfo[];
      throttleStatus: ThrottleStatus | null;
      /** The request's cost as Shopify priced it before running it (`extensions.cost.requestedQueryCost`). */
      requestedCost: number | null;
      /**
       * Terms of a `query:` argument Shopify ignored (`extensions.search[].warnings`, e.g. an unknown
       * field, code `invalid_field`): the search ran as if they were absent.
       */
      searchWarnings: SearchWarning[];
    }
  /** THROTTLED: the request did not run. */
  | { kind: "throttled"; throttleStatus: ThrottleStatus | null }
  /** No usable answer (5xx, timeout, network): the request may or may not have run. */
  | { kind: "unanswered"; cause: "timeout" | "server" | "network"; status?: number; message: string }
  /**
   * Refused before it ran (401 token revoked or expired, 402 shop frozen, 403 missing scope, 404 shop
   * gone, 423 shop locked): waiting does not help, and nothing the request asked for happened.
   */
  | { kind: "refused"; status: number; response?: Response };

/**
 * Shopify could not be asked right now (throttled, timed out, 5xx, no data) and the merchant's request
 * cannot wait for the worker's retries: routes answer 503, pages show `errors.shopify.<reason>`.
 */
export class ShopifyUnavailable extends Error {
  constructor(readonly reason: "busy" | "unanswered") {
    super(
      reason === "busy"
        ? "Shopify is busy; try again in a few seconds."
        : "Shopify did not answer; try again.",
    );
    this.name = "ShopifyUnavailable";
  }
}

/** A refusal inside a merchant's request (dataOf), when the library gave no answer of its own. */
export class AdminRequestRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The library's own answer, when it threw one (inside authenticate.admin: a 401 asks App Bridge to retry). */
    readonly response?: Response,
  ) {
    super(message);
    this.name = "AdminRequestRefused";
  }
}

const throttleStatusSchema = z.object({
  maximumAvailable: z.number(),
  currentlyAvailable: z.number(),
  restoreRate: z.number(),
});
const extensionsSchema = z
  .object({
    cost: z
      .object({ throttleStatus: throttleStatusSchema, requestedQueryCost: z.number() })
      .partial()
      .optional(),
  })
  .optional();
const graphqlErrorSchema = z.object({
  message: z.string(),
  path: z.array(z.union([z.string(), z.number()])).optional(),
  extensions: z.object({ code: z.string().optional() }).passthrough().optional(),
});
/** GraphqlQueryError: `body` is the client's response with `errors.graphQLErrors`. */
const graphqlQueryErrorSchema = z.object({
  body: z.object({
    data: z.unknown().optional(),
    errors: z.object({ graphQLErrors: z.array(graphqlErrorSchema).optional() }).optional(),
    extensions: extensionsSchema,
  }),
});
/** HttpResponseError: `response.code` is the HTTP status. */
const httpResponseErrorSchema = z.object({ response: z.object({ code: z.number() }) });

export function throttleStatusFrom(extensions: unknown): ThrottleStatus | null {
  const parsed = extensionsSchema.safeParse(extensions);
  return parsed.success ? (parsed.data?.cost?.throttleStatus ?? null) : null;
}

export interface SearchWarning {
  field: string | null;
  message: string;
  code: string | null;
  /** The search the warning is about. */
  query: string | null;
}

const searchSchema = z.object({
  search: z
    .array(
      z.object({
        query: z.string().optional(),
        warnings: z
          .array(z.object({ field: z.string().nullish(), message: z.string(), code: z.string().nullish() }))
          .optional(),
      }),
    )
    .optional(),
});

export function searchWarningsFrom(extensions: unknown): SearchWarning[] {
  const parsed = searchSchema.safeParse(extensions);
  if (!parsed.success) return [];
  return (parsed.data.search ?? []).flatMap((entry) =>
    (entry.warnings ?? []).map((w) => ({
      field: w.field ?? null,
      message: w.message,
      code: w.code ?? null,
      query: entry.query ?? null,
    })),
  );
}

export function requestedCostFrom(extensions: unknown): number | null {
  const parsed = extensionsSchema.safeParse(extensions);
  return parsed.success ? (parsed.data?.cost?.requestedQueryCost ?? null) : null;
}

function errorInfo(error: z.infer<typeof graphqlErrorSchema>): GraphqlErrorInfo {
  return { message: error.message, code: error.extensions?.code, path: error.path };
}

/**
 * Runs one Admin API call with a timeout and classifies the outcome. `send` receives the abort signal to
 * pass to `graphql(..., { signal })`; `parse` turns the answer's `data` into typed data (for typed
 * documents it is the identity; the aliased invite batch validates with zod).
 */
export async function requestAdmin<Raw, Data>({
  send,
  parse,
  timeoutMs,
}: {
  send: (signal: AbortSignal) => Promise<{ json(): Promise<{ data?: Raw; extensions?: unknown }> }>;
  parse: (data: Raw) => Data;
  timeoutMs: number;
}): Promise<AdminOutcome<Data>> {
  // A timer cleared as soon as the answer is in (not AbortSignal.timeout): the signal holds on to the
  // request and its answer until it fires, which at hundreds of requests a minute is real memory.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await send(controller.signal);
    const body = await response.json();
    return {
      kind: "answered",
      data: body.data === undefined || body.data === null ? undefined : parse(body.data),
      errors: [],
      throttleStatus: throttleStatusFrom(body.extensions),
      requestedCost: requestedCostFrom(body.extensions),
      searchWarnings: searchWarningsFrom(body.extensions),
    };
  } catch (error) {
    return classifyFailure({ error, signal: controller.signal });
  } finally {
    clearTimeout(timer);
  }
}

function classifyFailure<Data>({
  error,
  signal,
}: {
  error: unknown;
  signal: AbortSignal;
}): AdminOutcome<Data> {
  const graphqlError = graphqlQueryErrorSchema.safeParse(error);
  if (graphqlError.success) {
    const { body } = graphqlError.data;
    const errors = (body.errors?.graphQLErrors ?? []).map(errorInfo);
    const throttleStatus = throttleStatusFrom(body.extensions);
    if (errors.some((e) => e.code === "THROTTLED")) return { kind: "throttled", throttleStatus };
    // Field errors next to data (one alias failed inside Shopify): keep the data, report the errors.
    // The library types an error's body as unknown; only the aliased batch, whose parse validates its
    // input with zod, reads partial data (partialData).
    return {
      kind: "answered",
      data: undefined,
      partialData: body.data ?? undefined,
      errors,
      throttleStatus,
      requestedCost: requestedCostFrom(body.extensions),
      searchWarnings: searchWarningsFrom(body.extensions),
    };
  }
  const status =
    error instanceof Response
      ? error.status
      : httpResponseErrorSchema.safeParse(error).success
        ? httpResponseErrorSchema.parse(error).response.code
        : undefined;
  if (status !== undefined) {
    if (status === 429) return { kind: "throttled", throttleStatus: null };
    if (status >= 500) return { kind: "unanswered", cause: "server", status, message: `HTTP ${status}` };
    return { kind: "refused", status, response: error instanceof Response ? error : undefined };
  }
  if (signal.aborted)
    return { kind: "unanswered", cause: "timeout", message: "no answer before the timeout" };
  return {
    kind: "unanswered",
    cause: "network",
    message: error instanceof Error ? error.message : "request failed",
  };
}

/**
 * A read or mutation inside a merchant's request: the parsed data, or ShopifyUnavailable when Shopify
 * was busy, did not answer, or answered without data (GraphQL errors are logged by the caller's outcome).
 */
export async function askAdmin<Raw, Data>(args: {
  send: (signal: AbortSignal) => Promise<{ json(): Promise<{ data?: Raw; extensions?: unknown }> }>;
  parse: (data: Raw) => Data;
  timeoutMs?: number;
}): Promise<Data> {
  const request = { ...args, timeoutMs: args.timeoutMs ?? REQUEST_TIMEOUT_MS };
  return dataOf(await retryWhenThrottled(() => requestAdmin(request)));
}

/**
 * A merchant's request, asked again when Shopify answers THROTTLED: the worker keeps the shop's bucket
 * busy while a campaign sends, so a page or a single invite may find it empty for a moment. THROTTLED
 * means it did not run, so it is asked again after a short wait, twice at most (about a second in all),
 * before the caller says Shopify is busy. The worker never uses this: its pacer waits exactly.
 */
export async function retryWhenThrottled<T>(ask: () => Promise<AdminOutcome<T>>): Promise<AdminOutcome<T>> {
  let outcome = await ask();
  for (const waitMs of MERCHANT_THROTTLE_WAITS_MS) {
    if (outcome.kind !== "throttled") break;
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    outcome = await ask();
  }
  return outcome;
}

/** How long a merchant's THROTTLED request waits before it is asked again (retryWhenThrottled). */
export const MERCHANT_THROTTLE_WAITS_MS = [250, 750];

/**
 * An outcome inside a merchant's request: its data, or the error the route turns into an answer. A
 * refusal carrying the library's own answer (a 401 that makes App Bridge fetch a new session token) is
 * thrown as that Response, so the client gets it unchanged, as it would without this edge.
 */
export function dataOf<Data>(outcome: AdminOutcome<Data>): Data {
  if (outcome.kind === "answered" && outcome.data !== undefined) return outcome.data;
  if (outcome.kind === "refused") throwRefusal(outcome);
  throw new ShopifyUnavailable(outcome.kind === "throttled" ? "busy" : "unanswered");
}

/** A refusal inside a merchant's request, as dataOf throws it. */
export function throwRefusal(outcome: { status: number; response?: Response }): never {
  if (outcome.response) throw outcome.response;
  throw new AdminRequestRefused(outcome.status, `Shopify refused the request (HTTP ${outcome.status})`);
}

/** How long a merchant's request waits for Shopify before answering 503. */
export const REQUEST_TIMEOUT_MS = 15_000;

/** What may be logged about an error: its name and message, never request headers or bodies. */
export function errorSummary(error: unknown) {
  return error instanceof Error ? { name: error.name, message: error.message } : { message: String(error) };
}
