import prisma, { databaseProvider } from "~/db.server";
import * as linkExportRoute from "~/routes/api.link-exports.$id";
import * as linkExportsRoute from "~/routes/api.link-exports";
import * as confirmRoute from "~/routes/app.links.$id.confirm";
import * as csvRoute from "~/routes/app.links.$id.csv";
import type { LinkExportView } from "~/services/activationLinks/linkExport.server";
import type { TestEmulator } from "./emulator";
import { bearerRequest, routeArgs } from "./requests";
import { signSessionToken } from "./sessionToken";

// Link exports as a staff member's browser and extension drive them: start (JSON API), progress (JSON
// API), download and confirm (the app's resource routes, with the session token), as staff member `staff`.

const token = (shop: string, staff: string) => signSessionToken({ shop, userId: staff });

async function answer(promise: Promise<Response>): Promise<Response> {
  try {
    return await promise;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

export async function startExport(
  shop: string,
  body: Record<string, unknown>,
  staff = "42",
): Promise<{
  status: number;
  body: { linkExport?: LinkExportView; error?: string; code?: string; fieldErrors?: unknown };
}> {
  const response = await answer(
    linkExportsRoute.action(
      routeArgs(
        bearerRequest("/api/link-exports", token(shop, staff), {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(body),
        }),
      ),
    ),
  );
  return { status: response.status, body: (await response.json()) as never };
}

export async function exportProgress(shop: string, id: string, staff = "42") {
  const response = await answer(
    linkExportRoute.loader(routeArgs(bearerRequest(`/api/link-exports/${id}`, token(shop, staff)), { id })),
  );
  return {
    status: response.status,
    linkExport: response.ok ? ((await response.json()) as { linkExport: LinkExportView }).linkExport : null,
  };
}

export async function downloadCsv(shop: string, id: string, staff = "42") {
  const response = await answer(
    csvRoute.loader(routeArgs(bearerRequest(`/app/links/${id}/csv?locale=en`, token(shop, staff)), { id })),
  );
  const bytes = Buffer.from(await response.arrayBuffer());
  return { status: response.status, response, text: bytes.toString("utf8"), bytes };
}

export async function confirmDownload(shop: string, id: string, sha256: string, staff = "42") {
  const body = new FormData();
  body.set("sha256", sha256);
  const response = await answer(
    confirmRoute.action(
      routeArgs(
        bearerRequest(`/app/links/${id}/confirm?locale=en`, token(shop, staff), { method: "POST", body }),
        { id },
      ),
    ),
  );
  return { status: response.status, body: (await response.json()) as { cleared: boolean; result: string } };
}

/** The CSV's rows as objects (the app's own CSV: no quoted newlines in these columns). */
export function parseLinksCsv(text: string) {
  const [header, ...lines] = text.trim().split("\r\n");
  const columns = header!.split(",");
  return lines.map((line) => {
    const cells = line
      .match(/("([^"]|"")*"|[^,]*)(,|$)/g)!
      .map((cell) => cell.replace(/,$/, "").replace(/^"|"$/g, "").replace(/""/g, '"'));
    return Object.fromEntries(columns.map((column, index) => [column, cells[index] ?? ""])) as Record<
      "customerId" | "status" | "activationUrl" | "expiresAt" | "message",
      string
    >;
  });
}

export interface EmulatorLink {
  token: string;
  customerId: string;
  kind: "invite" | "activation";
  url: string;
  status: "active" | "superseded" | "used" | "declined";
}

export async function activationLinks(emulator: TestEmulator, shop: string) {
  const { links } = await emulator.control<{ links: EmulatorLink[] }>(
    "GET",
    `links?shop=${encodeURIComponent(shop)}`,
  );
  return links.filter((link) => link.kind === "activation");
}

export const itemsOf = (exportId: string) =>
  prisma.linkExportItem.findMany({ where: { exportId }, orderBy: { id: "asc" } });

/** Every value of every column of every table, as text. */
export async function databaseText() {
  const tables = await prisma.$queryRawUnsafe<{ name: string }[]>(
    databaseProvider === "sqlite"
      ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
      : "SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
  );
  const dumps: string[] = [];
  for (const { name } of tables) {
    const rows = await prisma.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT * FROM "${name}"`);
    dumps.push(
      JSON.stringify(rows, (_key, value: unknown) => (typeof value === "bigint" ? String(value) : value)),
    );
  }
  return dumps.join("\n");
}
