import prisma from "~/db.server";
import * as campaignCommand from "~/routes/api.campaigns.$id.$command";
import * as campaignView from "~/routes/api.campaigns.$id";
import * as campaigns from "~/routes/api.campaigns";
import * as activationUrl from "~/routes/api.customers.$id.activation-url";
import * as history from "~/routes/api.customers.$id.history";
import * as invite from "~/routes/api.customers.$id.invite";
import * as preview from "~/routes/api.invites.preview";
import * as segmentPreview from "~/routes/api.segments.preview";
import type { TestEmulator } from "./emulator";
import { bearerRequest, routeArgs } from "./requests";
import { signSessionToken, type SessionTokenOptions } from "./sessionToken";

// Calls the JSON API's route modules (app/routes/api.*) the way Remix does: GET, HEAD and OPTIONS go to
// the loader, every other method to the action. A Response thrown by authenticate.admin is the answer.

type RouteFn = (args: ReturnType<typeof routeArgs>) => Promise<Response>;

/** A path segment for the request URL (the route gets `params` as given, as Remix would decode them). */
function segment(value: string | undefined) {
  try {
    return encodeURIComponent(value ?? "");
  } catch {
    return "not-encodable"; // a lone surrogate: no URL carries one
  }
}
export interface RouteModule {
  loader: RouteFn;
  action?: RouteFn;
}

export const apiRoutes = {
  preview: { module: preview as RouteModule, path: () => "/api/invites/preview" },
  segmentPreview: { module: segmentPreview as RouteModule, path: () => "/api/segments/preview" },
  campaigns: { module: campaigns as RouteModule, path: () => "/api/campaigns" },
  campaign: {
    module: campaignView as RouteModule,
    path: (p: Record<string, string>) => `/api/campaigns/${segment(p.id)}`,
  },
  command: {
    module: campaignCommand as RouteModule,
    path: (p: Record<string, string>) => `/api/campaigns/${segment(p.id)}/${segment(p.command)}`,
  },
  invite: {
    module: invite as RouteModule,
    path: (p: Record<string, string>) => `/api/customers/${segment(p.id)}/invite`,
  },
  activationUrl: {
    module: activationUrl as RouteModule,
    path: (p: Record<string, string>) => `/api/customers/${segment(p.id)}/activation-url`,
  },
  history: {
    module: history as RouteModule,
    path: (p: Record<string, string>) => `/api/customers/${segment(p.id)}/history`,
  },
} as const;
export type ApiRouteName = keyof typeof apiRoutes;

export interface ApiAnswer {
  status: number;
  headers: Headers;
  /** The raw body text. */
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
  /** True when authenticate.admin threw the response (the library answered, not the route). */
  thrown: boolean;
}

export interface CallOptions {
  method?: string;
  params?: Record<string, string>;
  /** A session token (string), options to sign one, or null for no Authorization header. */
  token: string | SessionTokenOptions | null;
  /** A value sent as JSON, or `{ raw }` for the body text as is. */
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
}

export async function callApi(route: ApiRouteName, options: CallOptions): Promise<ApiAnswer> {
  const { module, path } = apiRoutes[route];
  const method = options.method ?? "GET";
  const params = options.params ?? {};
  const token =
    options.token === null || typeof options.token === "string"
      ? options.token
      : signSessionToken(options.token);
  const headers = new Headers(options.headers);
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    if (!headers.has("Content-Type")) headers.set("Content-Type", "application/json");
  }
  const hasBody = body !== undefined && method !== "GET" && method !== "HEAD";
  const request = bearerRequest(path(params), token, {
    method,
    headers,
    body: hasBody ? body : undefined,
  });
  const handler =
    method === "GET" || method === "HEAD" || method === "OPTIONS" ? module.loader : module.action;
  if (!handler) throw new Error(`${route} has no ${method === "GET" ? "loader" : "action"} for ${method}`);
  let response: Response;
  let thrown = false;
  try {
    response = await handler(routeArgs(request, params));
  } catch (error) {
    if (!(error instanceof Response)) throw error;
    response = error;
    thrown = true;
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json, thrown };
}

/** What the app stored for a shop: nothing may grow on a refused request. */
export async function storedCounts(shop: string) {
  const [campaigns, recipients, activationLinks] = await Promise.all([
    prisma.campaign.count({ where: { shop } }),
    prisma.recipient.count({ where: { shop } }),
    prisma.activationLink.count({ where: { shop } }),
  ]);
  return { campaigns, recipients, activationLinks };
}

export interface EmulatorLink {
  token: string;
  customerId: string;
  kind: "invite" | "activation";
  url: string;
  status: "active" | "superseded" | "used" | "declined";
}

export async function emulatorLinks(emulator: TestEmulator, shop: string, customerId?: string) {
  const query = new URLSearchParams({ shop, ...(customerId ? { customerId } : {}) });
  return (await emulator.control<{ links: EmulatorLink[] }>("GET", `links?${query}`)).links;
}

export async function outboxSize(emulator: TestEmulator, shop: string) {
  return (await emulator.control<{ emails: unknown[] }>("GET", `outbox?shop=${encodeURIComponent(shop)}`))
    .emails.length;
}
