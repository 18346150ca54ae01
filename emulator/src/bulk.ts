// Bulk query operations as ../shared/shopify-captures/bulk-operations shows them: `bulkOperationRunQuery`
// with Shopify's validators and their exact messages, `bulkOperation(id:)`, `currentBulkOperation`,
// `bulkOperationCancel`, the statuses over time (a timing model derived from the captured created/
// completed times, on the emulator clock), counts as strings, the concurrency limit per API version,
// the JSONL result served by the emulator under a signed URL that expires, and the
// `bulk_operations/finish` webhook. The operation's reads cost nothing from the bucket: only the
// mutation that starts it (10) and the status reads (1) are priced (emulator/README.md, "Bulk operations").
import { createHmac, randomBytes } from "node:crypto";
import {
  execute,
  getNamedType,
  getNullableType,
  GraphQLError,
  isListType,
  isObjectType,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLSchema,
  type GraphQLTypeResolver,
  type SelectionSetNode,
} from "graphql";
import type { Clock } from "./clock";
import { isoSeconds, type Shop } from "./model";
import type { GraphqlContext } from "./resolvers/context";

export type BulkStatus =
  "CREATED" | "RUNNING" | "COMPLETED" | "CANCELING" | "CANCELED" | "FAILED" | "EXPIRED";
export type BulkErrorCode = "ACCESS_DENIED" | "INTERNAL_SERVER_ERROR" | "TIMEOUT";

/**
 * The timing model (emulator/README.md, "Bulk operations": derived from the captures). An operation is
 * CREATED for `startMs`, then RUNNING while it reads `objectsPerSecond`, then takes `finishMs` to write
 * its file: duration = startMs + objects / objectsPerSecond + finishMs.
 */
export interface BulkTiming {
  startMs: number;
  objectsPerSecond: number;
  finishMs: number;
  /** CANCELING lasts this long before CANCELED. */
  cancelMs: number;
  /** The result URL's lifetime after completion (7 days, captured: `Expires` = completedAt + 168 h). */
  urlLifetimeMs: number;
}

export const DEFAULT_BULK_TIMING: BulkTiming = {
  startMs: 500,
  objectsPerSecond: 3_000,
  finishMs: 500,
  cancelMs: 500,
  urlLifetimeMs: 7 * 24 * 3_600_000,
};

/** Largest bulk query accepted, in bytes (captured: "Query is too large (65536 bytes; maximum is 65535 bytes)"). */
export const BULK_QUERY_MAX_BYTES = 65_535;
/** Root objects read per slice of an operation's reads (the emulator answers other requests between). */
const BULK_SLICE = 2_000;

export interface BulkOperation {
  id: number;
  shop: string;
  type: "QUERY";
  query: string;
  createdAt: number;
  runningAt: number;
  completeAt: number;
  /** When bulkOperationCancel was accepted. */
  canceledAt: number | null;
  failedAt: number | null;
  errorCode: BulkErrorCode | null;
  objectTotal: number;
  rootTotal: number;
  /** The JSONL file, computed when the operation starts (the data as of its creation). */
  file: Buffer;
  token: string;
  /** Terminal status already announced by webhook. */
  announced: boolean;
}

export const bulkGid = (id: number) => `gid://shopify/BulkOperation/${id}`;

/** API versions from 2026-01 accept five operations of a type at a time per app and shop, earlier ones one [docs, captured]. */
export function concurrencyLimit(apiVersion: string): number {
  if (apiVersion === "unstable") return 5;
  return apiVersion >= "2026-01" ? 5 : 1;
}

// ---------------------------------------------------------------------------------------------------
// The query's validators, in the order Shopify reports them [captured: run-query-validators,
// user-error-codes, storage-byte-limit].

interface ConnectionNode {
  /** Response key (alias or name) in the answer. */
  key: string;
  children: ConnectionNode[];
}

export interface BulkQueryAnalysis {
  errors: string[];
  roots: ConnectionNode[];
  document?: DocumentNode;
  /** `Type.field` of every field the query selects (to refuse what the emulator does not emulate). */
  fields: Set<string>;
}

const MESSAGES = {
  operationType: "Invalid operation type. Only `query` operations are supported.",
  topLevelNode: "Bulk queries cannot contain a top level `node` field.",
  noConnection: "Bulk queries must contain at least one connection.",
  tooMany: "Bulk queries cannot contain more than 5 connections.",
  tooDeep: "Bulk queries cannot contain connections with a nesting depth greater than 2.",
  inList: "Queries that contain a connection field within a list field are not currently supported.",
  nodes: (names: string[]) =>
    `All connection fields in a bulk query must select their contents using 'edges' > 'node', e.g: '${names[0]} { edges { node {'. Selecting via 'nodes' is not supported. Invalid connection fields: ${names.map((n) => `'${n}'`).join(", ")}.`,
  parentId: (names: string[]) =>
    `The parent 'node' field for a nested connection must select the 'id' field without an alias and must be of 'ID' return type. Connection fields without 'id': ${names.join(", ")}.`,
};

function isConnection(type: GraphQLObjectType): boolean {
  return type.name.endsWith("Connection") && "edges" in type.getFields();
}

/** The fields of a selection set, fragments flattened. */
function fieldsOf(
  set: SelectionSetNode | undefined,
  fragments: Map<string, FragmentDefinitionNode>,
): FieldNode[] {
  const out: FieldNode[] = [];
  for (const selection of set?.selections ?? []) {
    if (selection.kind === Kind.FIELD) out.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT)
      out.push(...fieldsOf(selection.selectionSet, fragments));
    else {
      const fragment = fragments.get(selection.name.value);
      if (fragment) out.push(...fieldsOf(fragment.selectionSet, fragments));
    }
  }
  return out;
}

export function analyzeBulkQuery(schema: GraphQLSchema, query: string): BulkQueryAnalysis {
  const fields = new Set<string>();
  const bytes = Buffer.byteLength(query, "utf8");
  if (bytes > BULK_QUERY_MAX_BYTES)
    return {
      errors: [`Query is too large (${bytes} bytes; maximum is ${BULK_QUERY_MAX_BYTES} bytes)`],
      roots: [],
      fields,
    };
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    // [captured] "Invalid bulk query: syntax error, unexpected end of file" for an empty query; other
    // parse errors are worded like the engine's, without the position [choice].
    const text = error instanceof GraphQLError ? error.message.replace(/^Syntax Error: /, "") : String(error);
    const unexpected = /<EOF>/.test(text)
      ? "end of file"
      : text.replace(/^Unexpected /, "").replace(/\.$/, "");
    return { errors: [`Invalid bulk query: syntax error, unexpected ${unexpected}`], roots: [], fields };
  }
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operations[0];
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION)
    return { errors: [MESSAGES.noConnection], roots: [], fields };
  if (operation.operation !== "query") return { errors: [MESSAGES.operationType], roots: [], fields };
  const invalid = validate(schema, document);
  if (invalid.length > 0)
    // [choice] Shopify's wording for a bulk query that does not validate is not captured.
    return { errors: invalid.map((e) => `Invalid bulk query: ${e.message}`), roots: [], fields };

  const fragments = new Map(
    document.definitions.flatMap((d) =>
      d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [],
    ),
  );
  const roots: ConnectionNode[] = [];
  let count = 0;
  let maxDepth = 0;
  let topLevelNode = false;
  let inList = false;
  const viaNodes: string[] = [];
  const withoutId: string[] = [];

  const walk = (
    set: SelectionSetNode | undefined,
    type: GraphQLObjectType,
    depth: number,
    parentList: boolean,
    into: ConnectionNode[],
    owner: { name: string; hasId: boolean } | null,
  ) => {
    for (const field of fieldsOf(set, fragments)) {
      const definition = type.getFields()[field.name.value] as GraphQLField<unknown, unknown> | undefined;
      if (!definition) continue;
      fields.add(`${type.name}.${field.name.value}`);
      const nullable = getNullableType(definition.type);
      const named = getNamedType(definition.type);
      if (depth === 0 && (field.name.value === "node" || field.name.value === "nodes")) topLevelNode = true;
      if (!isObjectType(named)) continue;
      if (isConnection(named)) {
        count++;
        const node: ConnectionNode = { key: field.alias?.value ?? field.name.value, children: [] };
        into.push(node);
        if (parentList) inList = true;
        if (owner && !owner.hasId && !withoutId.includes(owner.name)) withoutId.push(owner.name);
        maxDepth = Math.max(maxDepth, depth + 1);
        for (const part of fieldsOf(field.selectionSet, fragments)) {
          fields.add(`${named.name}.${part.name.value}`);
          const partType = getNamedType(named.getFields()[part.name.value]?.type);
          if (part.name.value === "nodes") {
            viaNodes.push(field.name.value);
            if (isObjectType(partType)) {
              const hasId = fieldsOf(part.selectionSet, fragments).some(
                (f) => f.name.value === "id" && !f.alias,
              );
              walk(part.selectionSet, partType, depth + 1, false, node.children, {
                name: field.name.value,
                hasId,
              });
            }
          } else if (part.name.value === "edges" && isObjectType(partType)) {
            for (const edgePart of fieldsOf(part.selectionSet, fragments)) {
              fields.add(`${partType.name}.${edgePart.name.value}`);
              const nodeType = getNamedType(partType.getFields()[edgePart.name.value]?.type);
              if (edgePart.name.value !== "node" || !isObjectType(nodeType)) continue;
              const hasId = fieldsOf(edgePart.selectionSet, fragments).some(
                (f) => f.name.value === "id" && !f.alias,
              );
              walk(edgePart.selectionSet, nodeType, depth + 1, false, node.children, {
                name: field.name.value,
                hasId,
              });
            }
          }
        }
        continue;
      }
      walk(field.selectionSet, named, depth, parentList || isListType(nullable), into, owner);
    }
  };
  const queryType = schema.getQueryType();
  if (queryType) walk(operation.selectionSet, queryType, 0, false, roots, null);

  const errors: string[] = [];
  if (topLevelNode) errors.push(MESSAGES.topLevelNode);
  if (count === 0) errors.push(MESSAGES.noConnection);
  if (viaNodes.length > 0) errors.push(MESSAGES.nodes(viaNodes));
  if (count > 5) errors.push(MESSAGES.tooMany);
  else if (maxDepth > 2) errors.push(MESSAGES.tooDeep);
  if (withoutId.length > 0 && maxDepth <= 2 && count <= 5) errors.push(MESSAGES.parentId(withoutId));
  if (inList) errors.push(MESSAGES.inList);
  return { errors, roots, document, fields };
}

// ---------------------------------------------------------------------------------------------------
// The result file: one JSON object per line, a nested connection's nodes on lines of their own after
// their parent, with `__parentId` last [captured: root-count-and-search-filters' body]. Encoded as
// Shopify's files are: `/` escaped as `\/` and `&` as `\u0026` [captured: the byte lengths of three
// files match only so], `<` `>` U+2028 U+2029 escaped like `&` [choice: the same encoder's rules].

export function encodeLine(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\//g, "\\/")
    .replace(/&/g, "\\u0026")
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

interface EdgeList {
  edges?: { node?: Record<string, unknown> | null }[];
}

export function flattenResult(
  data: Record<string, unknown>,
  roots: ConnectionNode[],
): { lines: string[]; objects: number; rootObjects: number } {
  const lines: string[] = [];
  let rootObjects = 0;
  const emit = (node: Record<string, unknown>, connections: ConnectionNode[], parentId: unknown) => {
    const own: Record<string, unknown> = {};
    const childKeys = new Set(connections.map((c) => c.key));
    for (const [key, value] of Object.entries(node)) if (!childKeys.has(key)) own[key] = value;
    if (parentId !== undefined) own.__parentId = parentId;
    lines.push(encodeLine(own));
    for (const child of connections) {
      for (const edge of (node[child.key] as EdgeList | null)?.edges ?? [])
        if (edge.node) emit(edge.node, child.children, node.id);
    }
  };
  const visit = (value: unknown, connections: ConnectionNode[]) => {
    for (const connection of connections) {
      const list = (value as Record<string, unknown> | null)?.[connection.key] as EdgeList | null | undefined;
      for (const edge of list?.edges ?? []) {
        if (!edge.node) continue;
        rootObjects++;
        emit(edge.node, connection.children, undefined);
      }
    }
  };
  visit(data, roots);
  return { lines, objects: lines.length, rootObjects };
}

// ---------------------------------------------------------------------------------------------------

export interface BulkEvents {
  /** A terminal status reached (COMPLETED, CANCELED, FAILED): the `bulk_operations/finish` webhook. */
  finished(operation: BulkOperation, status: BulkStatus): void;
}

export interface BulkExecutor {
  schema: GraphQLSchema;
  fieldResolver: GraphQLFieldResolver<unknown, GraphqlContext>;
  typeResolver: GraphQLTypeResolver<unknown, GraphqlContext>;
}

export class BulkOperations {
  private readonly byShop = new Map<string, BulkOperation[]>();
  private readonly byToken = new Map<string, BulkOperation>();
  private nextId = 8_100_000_000_001;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly signingKey = randomBytes(16);
  /** Where result files are served (the emulator's URL), set once it listens. */
  baseUrl = "http://127.0.0.1";
  readonly timing: BulkTiming;

  constructor(
    private readonly clock: Clock,
    private readonly events: BulkEvents,
    timing: Partial<BulkTiming> = {},
  ) {
    this.timing = { ...DEFAULT_BULK_TIMING, ...timing };
  }

  list(shop: string): BulkOperation[] {
    return this.byShop.get(shop) ?? [];
  }

  find(shop: string, id: number): BulkOperation | undefined {
    return this.list(shop).find((op) => op.id === id);
  }

  status(op: BulkOperation, now = this.clock.now()): BulkStatus {
    if (op.canceledAt !== null) return now < op.canceledAt + this.timing.cancelMs ? "CANCELING" : "CANCELED";
    if (op.failedAt !== null && now >= op.failedAt) return "FAILED";
    if (now < op.runningAt) return "CREATED";
    if (now < op.completeAt) return "RUNNING";
    return now < op.completeAt + this.timing.urlLifetimeMs ? "COMPLETED" : "EXPIRED";
  }

  /** Objects read by `at`: none while CREATED, linear while RUNNING [choice: Shopify's counter moves in steps]. */
  private objectsAt(op: BulkOperation, at: number): number {
    if (at <= op.runningAt) return 0;
    const readMs = Math.max(1, op.completeAt - this.timing.finishMs - op.runningAt);
    return Math.min(op.objectTotal, Math.floor(((at - op.runningAt) / readMs) * op.objectTotal));
  }

  /** The BulkOperation object as the schema has it, at the emulator's now. */
  view(op: BulkOperation): Record<string, unknown> {
    const now = this.clock.now();
    const status = this.status(op, now);
    const completed = status === "COMPLETED";
    const frozenAt =
      op.canceledAt !== null
        ? status === "CANCELED"
          ? op.canceledAt + this.timing.cancelMs
          : op.canceledAt
        : op.failedAt !== null && status === "FAILED"
          ? op.failedAt
          : now;
    const objects = completed || status === "EXPIRED" ? op.objectTotal : this.objectsAt(op, frozenAt);
    const roots = op.objectTotal === 0 ? 0 : Math.floor((objects * op.rootTotal) / op.objectTotal);
    const hasFile = completed && op.objectTotal > 0;
    return {
      id: bulkGid(op.id),
      status,
      type: op.type,
      errorCode: status === "FAILED" ? op.errorCode : null,
      createdAt: isoSeconds(op.createdAt),
      // [captured] CANCELED keeps completedAt null; FAILED: the time it failed [choice].
      completedAt:
        completed || status === "EXPIRED"
          ? isoSeconds(op.completeAt)
          : status === "FAILED"
            ? isoSeconds(op.failedAt!)
            : null,
      objectCount: String(objects),
      rootObjectCount: String(roots),
      fileSize: completed ? String(op.file.length) : null,
      // [choice] a completed operation that found nothing has no file (url null), as apps report.
      url: hasFile ? this.signedUrl(op) : null,
      partialDataUrl: null,
      query: op.query,
    };
  }

  private signature(token: string, expires: number): string {
    return createHmac("sha256", this.signingKey).update(`${token}\n${expires}`).digest("base64");
  }

  /** A signed URL like Shopify's (GoogleAccessId, Expires in epoch seconds, Signature) [captured shape]. */
  signedUrl(op: BulkOperation): string {
    const expires = Math.floor((op.completeAt + this.timing.urlLifetimeMs) / 1000);
    const params = new URLSearchParams({
      GoogleAccessId: "assets-emulator@shopify-tiers.iam.gserviceaccount.com",
      Expires: String(expires),
      Signature: this.signature(op.token, expires),
      "response-content-disposition": `attachment; filename="bulk-${op.id}.jsonl"; filename*=UTF-8''bulk-${op.id}.jsonl`,
      "response-content-type": "application/jsonl",
    });
    return `${this.baseUrl}/bulk-operation-outputs/${op.token}-final?${params.toString()}`;
  }

  /**
   * The result file for a signed URL: 403 for a wrong signature, 400 ExpiredToken once `Expires` has
   * passed on the emulator clock (Google Cloud Storage's answers to signed URLs [choice: from its docs]).
   */
  download(token: string, query: URLSearchParams): { status: number; body?: Buffer; error?: string } {
    const op = this.byToken.get(token);
    const expires = Number(query.get("Expires"));
    if (!op || query.get("Signature") !== this.signature(token, expires))
      return { status: 403, error: "SignatureDoesNotMatch" };
    if (this.clock.now() >= expires * 1000) return { status: 400, error: "ExpiredToken" };
    return { status: 200, body: op.file };
  }

  /** `bulkOperationRunQuery`: a userError, or the operation started. */
  run(
    shop: Shop,
    args: { query: string; groupObjects?: boolean | null },
    context: GraphqlContext,
    executor: BulkExecutor,
  ): { bulkOperation: Record<string, unknown> | null; userErrors: Record<string, unknown>[] } {
    const analysis = analyzeBulkQuery(executor.schema, args.query);
    if (analysis.errors.length > 0)
      return {
        bulkOperation: null,
        userErrors: analysis.errors.map((message) => ({ field: ["query"], message, code: "INVALID" })),
      };
    // Valid for Shopify, but reading something the emulator does not hold: say so, never a silent empty file.
    const known = new Set(context.emulatedFields ?? []);
    for (const field of analysis.fields) {
      if (known.size > 0 && !known.has(field) && !/(Connection|Edge)\.(edges|node|cursor)$/.test(field))
        throw new GraphQLError(`Field '${field}' is not emulated in bulk queries`, {
          extensions: { code: "NOT_EMULATED" },
        });
    }
    const now = this.clock.now();
    this.tick(now);
    const live = this.list(shop.domain).filter((op) => {
      const status = this.status(op, now);
      return status === "CREATED" || status === "RUNNING" || status === "CANCELING";
    });
    if (live.length >= concurrencyLimit(context.apiVersion ?? "2026-10")) {
      return {
        bulkOperation: null,
        userErrors: [
          {
            field: null,
            message: `A bulk query operation for this app and shop is already in progress: ${live.map((op) => bulkGid(op.id)).join(", ")}.`,
            code: "OPERATION_IN_PROGRESS",
          },
        ],
      };
    }
    // The reads: the emulator's own resolvers over the whole connection (no page size), free of the
    // bucket, in slices of BULK_SLICE root objects between which the emulator goes on answering.
    const op: BulkOperation = {
      id: this.nextId++,
      shop: shop.domain,
      type: "QUERY",
      query: args.query,
      createdAt: now,
      runningAt: now + this.timing.startMs,
      // Not before the file is written (set when the reads end).
      completeAt: Number.POSITIVE_INFINITY,
      canceledAt: null,
      failedAt: null,
      errorCode: null,
      objectTotal: 0,
      rootTotal: 0,
      file: Buffer.alloc(0),
      token: randomBytes(14).toString("hex"),
      announced: false,
    };
    const list = this.byShop.get(shop.domain) ?? [];
    list.push(op);
    this.byShop.set(shop.domain, list);
    this.byToken.set(op.token, op);
    this.build(op, analysis, context, executor);
    this.schedule();
    return { bulkOperation: this.view(op), userErrors: [] };
  }

  private build(
    op: BulkOperation,
    analysis: BulkQueryAnalysis,
    context: GraphqlContext,
    executor: BulkExecutor,
  ) {
    const slice = { size: BULK_SLICE, at: new Map<string, { after: string | null; more: boolean }>() };
    const parts: Buffer[] = [];
    let objects = 0;
    let roots = 0;
    const finish = (failed: BulkErrorCode | null) => {
      const t = this.timing;
      op.file = Buffer.concat(parts);
      op.objectTotal = failed ? 0 : objects;
      op.rootTotal = failed ? 0 : roots;
      op.completeAt = Math.max(
        this.clock.now(),
        op.runningAt + Math.ceil((op.objectTotal / t.objectsPerSecond) * 1000) + t.finishMs,
      );
      if (failed) {
        // [choice] a query whose reads fail (a scope missing) fails once it runs.
        op.failedAt = op.runningAt;
        op.errorCode = failed;
      }
    };
    const step = () => {
      if (op.canceledAt !== null || this.closed) return finish(null);
      const result = execute({
        schema: executor.schema,
        document: analysis.document!,
        contextValue: { ...context, bulk: true, bulkSlice: slice, search: [], redactions: [] },
        fieldResolver: executor.fieldResolver,
        typeResolver: executor.typeResolver,
      });
      if (result instanceof Promise) throw new Error("emulator resolvers must be synchronous");
      if ((result.errors ?? []).length > 0 || !result.data) {
        const denied = (result.errors ?? []).some((e) => e.extensions?.code === "ACCESS_DENIED");
        return finish(denied ? "ACCESS_DENIED" : "INTERNAL_SERVER_ERROR");
      }
      const flat = flattenResult(result.data, analysis.roots);
      if (flat.lines.length > 0)
        parts.push(Buffer.from(flat.lines.map((line) => `${line}\n`).join(""), "utf8"));
      objects += flat.objects;
      roots += flat.rootObjects;
      const more = [...slice.at.values()].some((at) => at.more);
      if (!more) return finish(null);
      setImmediate(step);
    };
    setImmediate(step);
  }

  /** `bulkOperationCancel` [captured: cancel-preserves-fields, status-catalog-cancel, validations]. */
  cancel(
    shop: Shop,
    id: number,
  ): { bulkOperation: Record<string, unknown> | null; userErrors: Record<string, unknown>[] } {
    const op = this.find(shop.domain, id);
    if (!op)
      return {
        bulkOperation: null,
        userErrors: [{ field: ["id"], message: "Bulk operation does not exist" }],
      };
    const now = this.clock.now();
    const status = this.status(op, now);
    if (status === "CREATED" || status === "RUNNING") {
      op.canceledAt = now;
      this.schedule();
      return { bulkOperation: this.view(op), userErrors: [] };
    }
    return {
      bulkOperation: this.view(op),
      // [captured] "…when it is completed"; the other terminal statuses worded alike [choice].
      userErrors: [
        { field: null, message: `A bulk operation cannot be canceled when it is ${status.toLowerCase()}` },
      ],
    };
  }

  /** The most recent operation of a type (`currentBulkOperation`), whatever its status [captured]. */
  current(shop: Shop): BulkOperation | null {
    const list = this.list(shop.domain);
    return list[list.length - 1] ?? null;
  }

  /** Control API: makes a live operation fail now with an error code. */
  fail(shop: string, id: number, errorCode: BulkErrorCode = "INTERNAL_SERVER_ERROR"): BulkOperation | null {
    const op = this.find(shop, id);
    if (!op) return null;
    const status = this.status(op);
    if (status !== "CREATED" && status !== "RUNNING") return null;
    op.failedAt = this.clock.now();
    op.errorCode = errorCode;
    this.tick();
    return op;
  }

  /** Announces operations that reached a terminal status; keeps a timer while any is still live. */
  tick(now = this.clock.now()): void {
    let live = false;
    for (const list of this.byShop.values()) {
      for (const op of list) {
        if (op.announced) continue;
        const status = this.status(op, now);
        if (status === "COMPLETED" || status === "CANCELED" || status === "FAILED" || status === "EXPIRED") {
          op.announced = true;
          this.events.finished(op, status === "EXPIRED" ? "COMPLETED" : status);
        } else live = true;
      }
    }
    if (!live && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), 100);
    this.timer.unref();
  }

  reset(): void {
    this.byShop.clear();
    this.byToken.clear();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

/** The `bulk_operations/finish` payload [docs: admin_graphql_api_id, completed_at, created_at, error_code, status, type]. */
export function finishPayload(operation: Record<string, unknown>): Record<string, unknown> {
  return {
    admin_graphql_api_id: operation.id,
    completed_at: operation.completedAt,
    created_at: operation.createdAt,
    error_code: typeof operation.errorCode === "string" ? operation.errorCode.toLowerCase() : null,
    status: String(operation.status).toLowerCase(),
    type: String(operation.type).toLowerCase(),
  };
}
