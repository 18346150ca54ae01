// Replays captured Shopify requests through the cost model (src/cost.ts) and compares the figures:
// `npm run emulator:costs` (scripts/emulator-costs.mjs) prints the report. The captures live outside the
// repository (../shared/shopify-captures, read-only, not ours to commit): costs/cost-calibration.json holds
// each request's query, variables and Shopify's requested/actual cost; where the capture it came from is
// also there with Shopify's answer (`source` → `<area>/<version>-<file>`), the actual cost is replayed too.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  Kind,
  parse,
  stripIgnoredCharacters,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import { actualQueryCost, findOperation, requestedQueryCost, type CostSurface } from "./cost";

export interface CalibrationEntry {
  /** `<shop>/<api version>/<area>/<capture file>` */
  source: string;
  query: string;
  variables?: Record<string, unknown> | null;
  requestedQueryCost: number;
  actualQueryCost: number | null;
}

export interface CalibrationResult {
  entry: CalibrationEntry;
  operation: string;
  surface: CostSurface;
  /** Our requested cost; null when the document cannot be parsed. */
  requested: number | null;
  /** Our actual cost, when Shopify's answer (its `data`) was captured alongside. */
  actual: number | null;
}

type Verdict = "exact" | "over" | "under";

export interface Tally {
  total: number;
  exact: number;
  over: number;
  under: number;
}

export interface CalibrationSummary {
  requested: Tally;
  requestedBySurface: Record<CostSurface, Tally>;
  actual: Tally;
  /** Requests Shopify charged an actual cost for but whose answer was not captured. */
  actualWithoutData: number;
  worst: CalibrationResult[];
}

export const CALIBRATION_FILE = join("costs", "cost-calibration.json");

export function readCalibration(capturesDir: string): CalibrationEntry[] {
  return JSON.parse(readFileSync(join(capturesDir, CALIBRATION_FILE), "utf8")) as CalibrationEntry[];
}

const responseKey = (query: string, variables: unknown) =>
  `${query.trim()}\u0000${JSON.stringify(variables ?? {})}`;

/**
 * Shopify's answers (`data`) kept in the capture files the calibration entries came from, by query and
 * variables. A capture keeps `query` (and `variables`) next to, or above, a `response`/`body`/`result`
 * that carries `extensions.cost`.
 */
export function readCapturedAnswers(capturesDir: string, entries: CalibrationEntry[]): Map<string, unknown> {
  const answers = new Map<string, unknown>();
  const files = new Set<string>();
  for (const entry of entries) {
    const [, version, area, file] = entry.source.split("/");
    if (!version || !area || !file) continue;
    const path = join(capturesDir, area, `${version}-${file}`);
    if (existsSync(path)) files.add(path);
  }
  const walk = (value: unknown, query: unknown, variables: unknown) => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item, query, variables);
      return;
    }
    if (!value || typeof value !== "object") return;
    const record = value as Record<string, unknown>;
    const q = typeof record.query === "string" ? record.query : query;
    const v = "variables" in record ? record.variables : variables;
    for (const key of ["response", "body", "result"]) {
      const answer = record[key];
      if (!answer || typeof answer !== "object") continue;
      const body = ((answer as Record<string, unknown>).body ?? answer) as Record<string, unknown>;
      const extensions = body.extensions as { cost?: unknown } | undefined;
      if (typeof q === "string" && extensions?.cost && "data" in body)
        answers.set(responseKey(q, v), body.data);
    }
    for (const [key, child] of Object.entries(record)) {
      if (key !== "response" && key !== "body" && key !== "result") walk(child, q, v);
    }
  };
  for (const file of files) walk(JSON.parse(readFileSync(file, "utf8")), undefined, undefined);
  return answers;
}

/**
 * Which API a captured request went to. The calibration file does not say; the Storefront API's requests
 * are those of the `storefront` area whose document the Admin schema rejects (that area also holds the
 * Admin API calls that set its stores up, which validate).
 */
export function surfaceOf(
  entry: CalibrationEntry,
  document: DocumentNode,
  schema: GraphQLSchema,
): CostSurface {
  const area = entry.source.split("/")[2];
  if (area !== "storefront") return "admin";
  return validate(schema, document).length > 0 ? "storefront" : "admin";
}

function operationOf(document: DocumentNode): OperationDefinitionNode | undefined {
  return (
    findOperation(document) ??
    document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
  );
}

export function replayCalibration(
  schema: GraphQLSchema,
  entries: CalibrationEntry[],
  answers: Map<string, unknown> = new Map(),
): CalibrationResult[] {
  return entries.map((entry) => {
    let document: DocumentNode;
    try {
      document = parse(entry.query);
    } catch {
      return { entry, operation: "(unparsable)", surface: "admin", requested: null, actual: null };
    }
    const operation = operationOf(document);
    const name = operation?.name?.value ?? null;
    const label = operation ? `${operation.operation} ${name ?? "(anonymous)"}` : "(no operation)";
    const surface = surfaceOf(entry, document, schema);
    const variables = entry.variables ?? {};
    const requested = requestedQueryCost(schema, document, name, variables, { surface });
    const key = responseKey(entry.query, entry.variables);
    const actual = answers.has(key)
      ? Math.min(requested, actualQueryCost(schema, document, name, variables, answers.get(key), { surface }))
      : null;
    return { entry, operation: label, surface, requested, actual };
  });
}

function verdict(ours: number | null, shopify: number): Verdict {
  if (ours === shopify) return "exact";
  return ours !== null && ours > shopify ? "over" : "under";
}

const emptyTally = (): Tally => ({ total: 0, exact: 0, over: 0, under: 0 });

export function summarize(results: CalibrationResult[], worstCount = 10): CalibrationSummary {
  const requested = emptyTally();
  const requestedBySurface: Record<CostSurface, Tally> = { admin: emptyTally(), storefront: emptyTally() };
  const actual = emptyTally();
  let actualWithoutData = 0;
  for (const result of results) {
    const v = verdict(result.requested, result.entry.requestedQueryCost);
    for (const tally of [requested, requestedBySurface[result.surface]]) {
      tally.total++;
      tally[v]++;
    }
    if (result.entry.actualQueryCost === null) continue;
    if (result.actual === null) {
      actualWithoutData++;
      continue;
    }
    actual.total++;
    actual[verdict(result.actual, result.entry.actualQueryCost)]++;
  }
  const distance = (r: CalibrationResult) => Math.abs((r.requested ?? 0) - r.entry.requestedQueryCost);
  const seen = new Set<string>();
  const worst = results
    .filter((r) => distance(r) > 0)
    .sort((a, b) => distance(b) - distance(a) || a.operation.localeCompare(b.operation))
    .filter((r) => {
      const key = `${r.entry.query}\u0000${r.requested}\u0000${r.entry.requestedQueryCost}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, worstCount);
  return { requested, requestedBySurface, actual, actualWithoutData, worst };
}

const percent = (n: number, total: number) => (total === 0 ? "–" : `${((100 * n) / total).toFixed(1)} %`);
const tallyLine = (label: string, t: Tally) =>
  `${label.padEnd(22)} ${String(t.total).padStart(5)}   exact ${String(t.exact).padStart(5)} (${percent(t.exact, t.total)})   over ${String(t.over).padStart(4)}   under ${String(t.under).padStart(4)}`;

export function excerpt(query: string, length = 110): string {
  const flat = stripIgnoredCharacters(query);
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}

export function formatReport(summary: CalibrationSummary): string {
  const lines = [
    "Cost model against the captured Shopify requests",
    tallyLine("requested cost", summary.requested),
    tallyLine("  Admin API", summary.requestedBySurface.admin),
    tallyLine("  Storefront API", summary.requestedBySurface.storefront),
    tallyLine("actual cost", summary.actual),
    `  (actual replayed where Shopify's answer was captured; ${summary.actualWithoutData} other requests have an actual cost but no answer to price)`,
    "",
    `Worst requested-cost misses (Shopify → ours):`,
  ];
  for (const r of summary.worst) {
    lines.push(
      `  ${String(r.entry.requestedQueryCost).padStart(5)} → ${String(r.requested ?? "–").padStart(5)}  ${r.operation}  [${r.entry.source.split("/").slice(1).join("/")}]`,
      `                ${excerpt(r.entry.query)}`,
    );
  }
  return lines.join("\n");
}
