// Query cost, calibrated against 1,228 requests captured from live stores (../shared/shopify-captures/
// costs/cost-calibration.json; `npm run emulator:costs` replays them). Shopify's documented model
// (https://shopify.dev/docs/api/usage/limits#cost-calculation: scalars 0, objects 1, connections sized by
// `first`/`last`, mutations 10) is the frame; the captures fix the details, which the documentation gets
// wrong or leaves out:
// - a connection costs 2 + m(n) × (one item), m(n) = ⌊2 ln n⌋ (at least 1), not 2 + n × (one item), and
//   `edges { node }` and `nodes` are each priced, even when both are selected;
// - a plain list of objects (including `nodes(ids:)`) costs like one object, whatever its length;
// - a `Count` costs 10 when it is a search (the field takes `query` or `limit`), else 1;
// - some objects are free (money, weights, a customer's addresses, …) and a few fields cost more;
// - a mutation costs its own price (10 for almost all) plus its payload's selection, the payload's own
//   objects free;
// - a query costs at least 1.
// The exact rules and the captured operations behind each are in emulator/README.md ("Cost formula");
// test/cost.test.ts checks the rules on hand-computed documents, test/cost-calibration.test.ts on cases
// taken from the captures.
//
// `requestedQueryCost` is computed from the document before execution; `actualQueryCost` applies the
// same rules to the response (connections priced by the items they returned, a null object by its own
// point), so `requested − actual` is what the bucket gets back.
import {
  getNamedType,
  getNullableType,
  isAbstractType,
  isLeafType,
  isListType,
  isObjectType,
  Kind,
  valueFromASTUntyped,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

export const MUTATION_FIELD_COST = 10;
export const OBJECT_COST = 1;
export const CONNECTION_BASE_COST = 2;
export const SEARCH_COUNT_COST = 10;
export const COUNT_COST = 1;
export const MINIMUM_QUERY_COST = 1;
export const SINGLE_QUERY_MAX_COST = 1000;

/**
 * How many items a connection of `size` (its `first` or `last`) is priced for: ⌊2 ln size⌋, at least 1.
 * Captured: 1→1, 2→1, 3→2, 4→2, 5→3, 6→3, 10→4, 12→4, 13→5, 20→5, 25→6, 31→6, 50→7, 100→9, 101→9,
 * 110→9, 200→10, 250→11.
 */
export function connectionMultiplier(size: number): number {
  if (!Number.isFinite(size) || size < 1) return 0;
  return Math.max(1, Math.floor(2 * Math.log(size)));
}

/** Object types that cost nothing of their own (their object fields, if any, are still priced). */
export const FREE_OBJECT_TYPES: ReadonlySet<string> = new Set([
  "MoneyV2",
  "MoneyBag",
  "Weight",
  "InventoryItemMeasurement",
  "ShopAddress",
  "CollectionRule",
  "CollectionRuleSet",
  "CustomerEmailMarketingConsentState",
  "CustomerSmsMarketingConsentState",
]);

/** Object fields whose own cost is not 1 (`Type.field` → cost). */
export const FIELD_COSTS: Readonly<Record<string, number>> = {
  "Customer.defaultAddress": 0,
  "Customer.addresses": 0,
  "StoreCreditAccount.balance": 5,
};

/** Mutation fields that do not cost MUTATION_FIELD_COST. */
export const MUTATION_COSTS: Readonly<Record<string, number>> = {
  customerSegmentMembersQueryCreate: 2,
  /** Captured: six aliased calls cost 6, three cost 3 (../shared/shopify-captures/flow/). */
  flowTriggerReceive: 1,
  fulfillmentTrackingInfoUpdate: 50,
  fulfillmentTrackingInfoUpdateV2: 50,
  orderCapture: 20,
  productCreateMedia: 20,
};

/**
 * Which API's rules apply. `admin` (the emulator's): typed by the schema. `storefront`: the Storefront API,
 * for which no schema is loaded, so fields are priced by shape (a field with a selection is an object, one
 * with `first`/`last` and `edges`/`nodes` a connection) and a mutation payload's objects cost 1 each.
 */
export type CostSurface = "admin" | "storefront";

export interface CostOptions {
  surface?: CostSurface;
}

type Variables = Record<string, unknown>;

interface Ctx {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Variables;
  surface: CostSurface;
}

interface CollectedField {
  nodes: FieldNode[];
  parent: GraphQLCompositeType | null;
}

export function findOperation(
  document: DocumentNode,
  operationName?: string | null,
): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (operationName) return operations.find((o) => o.name?.value === operationName);
  return operations.length === 1 ? operations[0] : undefined;
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const map = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) map.set(d.name.value, d);
  return map;
}

function included(node: { directives?: readonly DirectiveNode[] }, variables: Variables): boolean {
  for (const directive of node.directives ?? []) {
    const name = directive.name.value;
    if (name !== "skip" && name !== "include") continue;
    const arg = directive.arguments?.find((a) => a.name.value === "if");
    const value = arg ? Boolean(valueFromASTUntyped(arg.value, variables)) : false;
    if (name === "skip" && value) return false;
    if (name === "include" && !value) return false;
  }
  return true;
}

function namedType(ctx: Ctx, name: string | undefined): GraphQLNamedType | undefined {
  return name && ctx.surface === "admin" ? ctx.schema.getType(name) : undefined;
}

/** Type conditions that apply when the runtime type is `concrete` (or, with no concrete type, any condition). */
function conditionApplies(
  ctx: Ctx,
  condition: string | undefined,
  concrete: GraphQLNamedType | null,
): boolean {
  if (!condition || !concrete) return true;
  if (condition === concrete.name) return true;
  const conditionType = namedType(ctx, condition);
  if (!conditionType || !isAbstractType(conditionType) || !isObjectType(concrete)) return false;
  return ctx.schema.isSubType(conditionType, concrete);
}

function collect(
  ctx: Ctx,
  selectionSet: SelectionSetNode,
  parent: GraphQLCompositeType | null,
  concrete: GraphQLNamedType | null,
  out: Map<string, CollectedField>,
  visited: Set<string>,
): void {
  for (const selection of selectionSet.selections) {
    if (!included(selection, ctx.variables)) continue;
    if (selection.kind === Kind.FIELD) {
      const key = selection.alias?.value ?? selection.name.value;
      const entry = out.get(key);
      if (entry) entry.nodes.push(selection);
      else out.set(key, { nodes: [selection], parent });
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const condition = selection.typeCondition?.name.value;
      if (!conditionApplies(ctx, condition, concrete)) continue;
      const conditionType = namedType(ctx, condition) as GraphQLCompositeType | undefined;
      collect(ctx, selection.selectionSet, conditionType ?? parent, concrete, out, visited);
    } else {
      const name = selection.name.value;
      if (visited.has(name)) continue;
      const fragment = ctx.fragments.get(name);
      if (!fragment) continue;
      const condition = fragment.typeCondition.name.value;
      if (!conditionApplies(ctx, condition, concrete)) continue;
      const conditionType = namedType(ctx, condition) as GraphQLCompositeType | undefined;
      collect(
        ctx,
        fragment.selectionSet,
        conditionType ?? parent,
        concrete,
        out,
        new Set([...visited, name]),
      );
    }
  }
}

/** Object types named in type conditions of this selection (used to price interfaces and unions). */
function typeConditions(
  ctx: Ctx,
  selectionSet: SelectionSetNode,
  out: Set<string>,
  visited: Set<string>,
): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (selection.typeCondition) out.add(selection.typeCondition.name.value);
      typeConditions(ctx, selection.selectionSet, out, visited);
    } else if (selection.kind === Kind.FRAGMENT_SPREAD && !visited.has(selection.name.value)) {
      const fragment = ctx.fragments.get(selection.name.value);
      if (!fragment) continue;
      out.add(fragment.typeCondition.name.value);
      typeConditions(ctx, fragment.selectionSet, out, new Set([...visited, selection.name.value]));
    }
  }
}

function mergedSelectionSet(nodes: FieldNode[]): SelectionSetNode | undefined {
  const sets = nodes.map((n) => n.selectionSet).filter((s): s is SelectionSetNode => Boolean(s));
  if (sets.length === 0) return undefined;
  if (sets.length === 1) return sets[0];
  return { kind: Kind.SELECTION_SET, selections: sets.flatMap((s) => s.selections) };
}

function argument(ctx: Ctx, node: FieldNode, name: string): unknown {
  const arg = node.arguments?.find((a) => a.name.value === name);
  return arg ? valueFromASTUntyped(arg.value, ctx.variables) : undefined;
}

function fieldDefinition(
  ctx: Ctx,
  parent: GraphQLCompositeType | null,
  name: string,
): GraphQLField<unknown, unknown> | undefined {
  if (ctx.surface !== "admin") return undefined;
  if (name === "__schema" || name === "__type") {
    // Introspection entry points (not among the root type's fields in graphql-js).
    const type = ctx.schema.getType(name === "__schema" ? "__Schema" : "__Type");
    return type ? ({ name, type, args: [] } as unknown as GraphQLField<unknown, unknown>) : undefined;
  }
  if (parent && (isObjectType(parent) || "getFields" in parent)) {
    return (parent as { getFields(): Record<string, GraphQLField<unknown, unknown>> }).getFields()[name];
  }
  return undefined;
}

function isConnectionType(type: GraphQLNamedType): boolean {
  if (!isObjectType(type) || !type.name.endsWith("Connection")) return false;
  const fields = type.getFields();
  return "pageInfo" in fields && ("edges" in fields || "nodes" in fields);
}

/** A field the schema does not type (Storefront API, or unknown to it): a connection by its shape. */
function looksLikeConnection(ctx: Ctx, node: FieldNode, selection: SelectionSetNode | undefined): boolean {
  if (!selection) return false;
  if (argument(ctx, node, "first") === undefined && argument(ctx, node, "last") === undefined) return false;
  return selection.selections.some(
    (s) => s.kind === Kind.FIELD && (s.name.value === "edges" || s.name.value === "nodes"),
  );
}

const NO_DATA = Symbol("no data");
type Data = unknown;

function childData(data: Data, key: string): Data {
  if (data === NO_DATA) return NO_DATA;
  return data && typeof data === "object" ? (data as Record<string, unknown>)[key] : undefined;
}

/** Cost of a selection on a composite type (without the object's own cost). */
function selectionCost(
  ctx: Ctx,
  selectionSet: SelectionSetNode | undefined,
  type: GraphQLCompositeType | null,
  data: Data,
): number {
  if (!selectionSet) return 0;
  if (!type || !isAbstractType(type)) {
    const fields = new Map<string, CollectedField>();
    collect(ctx, selectionSet, type, type, fields, new Set());
    return sumFields(ctx, fields, data);
  }
  // Interface or union: the most expensive of the possible selections.
  const conditions = new Set<string>();
  typeConditions(ctx, selectionSet, conditions, new Set());
  const candidates: (GraphQLNamedType | null)[] = [];
  for (const name of conditions) {
    const t = ctx.schema.getType(name);
    if (t && isObjectType(t) && ctx.schema.isSubType(type, t)) candidates.push(t);
  }
  if (candidates.length === 0) candidates.push(null);
  let max = 0;
  for (const candidate of candidates) {
    const fields = new Map<string, CollectedField>();
    collect(ctx, selectionSet, type, candidate, fields, new Set());
    max = Math.max(max, sumFields(ctx, fields, data));
  }
  return max;
}

function sumFields(ctx: Ctx, fields: Map<string, CollectedField>, data: Data, ownCost?: number): number {
  let total = 0;
  for (const [key, field] of fields) total += fieldCost(ctx, field, childData(data, key), ownCost);
  return total;
}

/** The cost of an object field's own point: 1, or what FREE_OBJECT_TYPES / FIELD_COSTS / counts say. */
function objectOwnCost(
  ctx: Ctx,
  field: CollectedField,
  def: GraphQLField<unknown, unknown> | undefined,
): number {
  if (!def) return OBJECT_COST;
  const named = getNamedType(def.type);
  const parentName = field.parent?.name;
  const special = parentName ? FIELD_COSTS[`${parentName}.${def.name}`] : undefined;
  if (special !== undefined) return special;
  if (named.name === "Count") {
    const searches = def.args.some((a) => a.name === "query" || a.name === "limit");
    return searches ? SEARCH_COUNT_COST : COUNT_COST;
  }
  if (FREE_OBJECT_TYPES.has(named.name)) return 0;
  return OBJECT_COST;
}

/**
 * One field. `ownCost` overrides an object field's own point (a mutation payload's objects are free on
 * the Admin API); connections and the objects below are priced as usual.
 */
function fieldCost(ctx: Ctx, field: CollectedField, data: Data, ownCost?: number): number {
  const node = field.nodes[0]!;
  const name = node.name.value;
  if (name === "__typename") return 0;
  const def = fieldDefinition(ctx, field.parent, name);
  const selection = mergedSelectionSet(field.nodes);
  if (!def && (ctx.surface === "admin" ? !selection || name.startsWith("__") : !selection)) return 0;
  const named = def ? getNamedType(def.type) : null;
  if (named && isLeafType(named)) return 0;
  const composite = (named as GraphQLCompositeType | null) ?? null;

  if (named ? isConnectionType(named) : looksLikeConnection(ctx, node, selection)) {
    return connectionCost(ctx, node, composite, selection, data);
  }

  const own = ownCost ?? objectOwnCost(ctx, field, def);
  if (data === NO_DATA) return own + selectionCost(ctx, selection, composite, NO_DATA);
  if (data == null) return own;
  const list = def ? isListType(getNullableType(def.type)) : Array.isArray(data);
  if (list) {
    // A plain list (`nodes(ids:)` included) is priced as one object: its most expensive item.
    const items = Array.isArray(data) ? data : [];
    let max = 0;
    for (const item of items)
      if (item != null) max = Math.max(max, selectionCost(ctx, selection, composite, item));
    return own + max;
  }
  return own + selectionCost(ctx, selection, composite, data);
}

function connectionItemType(ctx: Ctx, type: GraphQLCompositeType | null): GraphQLCompositeType | null {
  if (!type) return null;
  const nodesField = fieldDefinition(ctx, type, "nodes");
  if (nodesField) return getNamedType(nodesField.type) as GraphQLCompositeType;
  const edges = fieldDefinition(ctx, type, "edges");
  const edge = edges ? (getNamedType(edges.type) as GraphQLCompositeType) : null;
  const nodeField = edge ? fieldDefinition(ctx, edge, "node") : undefined;
  return nodeField ? (getNamedType(nodeField.type) as GraphQLCompositeType) : null;
}

interface ItemSelection {
  selection: SelectionSetNode;
  /** Where the items are in the connection's answer. */
  read: (connection: Record<string, unknown>) => unknown[];
}

function connectionCost(
  ctx: Ctx,
  node: FieldNode,
  type: GraphQLCompositeType | null,
  selection: SelectionSetNode | undefined,
  data: Data,
): number {
  const itemType = connectionItemType(ctx, type);
  const size = Number(argument(ctx, node, "first") ?? argument(ctx, node, "last") ?? 0) || 0;
  const multiplier = connectionMultiplier(size);
  if (!selection) return CONNECTION_BASE_COST;

  // `nodes { … }` and `edges { node { … } }` are priced separately (captured: selecting both costs both);
  // edges, cursor and pageInfo are covered by the base cost.
  const fields = new Map<string, CollectedField>();
  collect(ctx, selection, type, type, fields, new Set());
  const items: ItemSelection[] = [];
  for (const [key, field] of fields) {
    const name = field.nodes[0]!.name.value;
    if (name === "nodes") {
      const set = mergedSelectionSet(field.nodes);
      if (set)
        items.push({ selection: set, read: (c) => (Array.isArray(c[key]) ? (c[key] as unknown[]) : []) });
    } else if (name === "edges") {
      const edgeSet = mergedSelectionSet(field.nodes);
      if (!edgeSet) continue;
      const edgesDef = fieldDefinition(ctx, type, "edges");
      const edgeType = edgesDef ? (getNamedType(edgesDef.type) as GraphQLCompositeType) : null;
      const edgeFields = new Map<string, CollectedField>();
      collect(ctx, edgeSet, edgeType, edgeType, edgeFields, new Set());
      for (const [edgeKey, edgeField] of edgeFields) {
        if (edgeField.nodes[0]!.name.value !== "node") continue;
        const set = mergedSelectionSet(edgeField.nodes);
        if (!set) continue;
        items.push({
          selection: set,
          read: (c) =>
            Array.isArray(c[key])
              ? (c[key] as unknown[]).map((e) =>
                  e && typeof e === "object" ? (e as Record<string, unknown>)[edgeKey] : null,
                )
              : [],
        });
      }
    }
  }

  if (data === NO_DATA) {
    // Requested: m(size) items per selection. A connection asked only for totals or pageInfo is priced
    // as if it listed its items (no capture shows one; this errs on the high side).
    if (items.length === 0) return CONNECTION_BASE_COST + multiplier * OBJECT_COST;
    let total = CONNECTION_BASE_COST;
    for (const item of items)
      total += multiplier * (OBJECT_COST + selectionCost(ctx, item.selection, itemType, NO_DATA));
    return total;
  }
  if (data == null || typeof data !== "object") return CONNECTION_BASE_COST;
  // Actual: the items returned, each priced by what was selected on it, never more than requested.
  const record = data as Record<string, unknown>;
  let total = CONNECTION_BASE_COST;
  for (const item of items) {
    let sum = 0;
    for (const value of item.read(record)) {
      sum += OBJECT_COST + selectionCost(ctx, item.selection, itemType, value ?? NO_DATA);
    }
    total += Math.min(
      sum,
      multiplier * (OBJECT_COST + selectionCost(ctx, item.selection, itemType, NO_DATA)),
    );
  }
  return total;
}

function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Variables,
  data: Data,
  options: CostOptions,
): number {
  const operation = findOperation(document, operationName);
  if (!operation) return 0;
  const surface = options.surface ?? "admin";
  const ctx: Ctx = { schema, fragments: fragmentsOf(document), variables, surface };
  if (operation.operation === "mutation") {
    const root = surface === "admin" ? (schema.getMutationType() ?? null) : null;
    if (surface === "admin" && !root) return 0;
    const fields = new Map<string, CollectedField>();
    collect(ctx, operation.selectionSet, root, root, fields, new Set());
    let total = 0;
    for (const [key, field] of fields) {
      const name = field.nodes[0]!.name.value;
      if (name.startsWith("__")) continue;
      total += MUTATION_COSTS[name] ?? MUTATION_FIELD_COST;
      // The payload: its own objects are free on the Admin API (1 each on the Storefront API).
      const def = fieldDefinition(ctx, root, name);
      const payloadType = def ? (getNamedType(def.type) as GraphQLCompositeType) : null;
      const payload = childData(data, key);
      if (payload === null) continue;
      const payloadFields = new Map<string, CollectedField>();
      const selection = mergedSelectionSet(field.nodes);
      if (!selection) continue;
      collect(ctx, selection, payloadType, payloadType, payloadFields, new Set());
      total += sumFields(ctx, payloadFields, payload, surface === "admin" ? 0 : undefined);
    }
    return total;
  }
  const root =
    surface !== "admin"
      ? null
      : operation.operation === "query"
        ? schema.getQueryType()
        : schema.getSubscriptionType();
  if (surface === "admin" && !root) return 0;
  return Math.max(MINIMUM_QUERY_COST, selectionCost(ctx, operation.selectionSet, root ?? null, data));
}

/** The cost Shopify reserves before running the operation. */
export function requestedQueryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName?: string | null,
  variables: Variables = {},
  options: CostOptions = {},
): number {
  return operationCost(schema, document, operationName, variables, NO_DATA, options);
}

/** The cost of what the operation returned (connections priced by the items they returned). */
export function actualQueryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Variables,
  data: unknown,
  options: CostOptions = {},
): number {
  return operationCost(schema, document, operationName, variables, data ?? null, options);
}
