// Query cost as Shopify describes it (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits):
// scalars and enums 0, objects 1, interfaces and unions the maximum of their possible selections,
// connections 2 + (first ?? last) × the cost of one item, mutations 10 per mutation field.
// `requestedQueryCost` is computed statically from the document; `actualQueryCost` walks the response
// and counts the items connections really returned. The exact rules used are listed in emulator/README.md
// ("Cost formula"); hand-computed cases live in test/cost.test.ts.
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
export const SINGLE_QUERY_MAX_COST = 1000;

type Variables = Record<string, unknown>;

interface Ctx {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Variables;
}

interface CollectedField {
  nodes: FieldNode[];
  parent: GraphQLCompositeType;
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

/** Type conditions that apply when the runtime type is `concrete` (or, with no concrete type, any condition). */
function conditionApplies(
  ctx: Ctx,
  condition: string | undefined,
  concrete: GraphQLNamedType | null,
): boolean {
  if (!condition || !concrete) return true;
  if (condition === concrete.name) return true;
  const conditionType = ctx.schema.getType(condition);
  if (!conditionType || !isAbstractType(conditionType) || !isObjectType(concrete)) return false;
  return ctx.schema.isSubType(conditionType, concrete);
}

function collect(
  ctx: Ctx,
  selectionSet: SelectionSetNode,
  parent: GraphQLCompositeType,
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
      const conditionType = condition ? (ctx.schema.getType(condition) as GraphQLCompositeType) : parent;
      collect(ctx, selection.selectionSet, conditionType ?? parent, concrete, out, visited);
    } else {
      const name = selection.name.value;
      if (visited.has(name)) continue;
      const fragment = ctx.fragments.get(name);
      if (!fragment) continue;
      const condition = fragment.typeCondition.name.value;
      if (!conditionApplies(ctx, condition, concrete)) continue;
      const conditionType = (ctx.schema.getType(condition) as GraphQLCompositeType) ?? parent;
      collect(ctx, fragment.selectionSet, conditionType, concrete, out, new Set([...visited, name]));
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

function isConnectionType(type: GraphQLNamedType): boolean {
  if (!isObjectType(type) || !type.name.endsWith("Connection")) return false;
  const fields = type.getFields();
  return "pageInfo" in fields && ("edges" in fields || "nodes" in fields);
}

const NO_DATA = Symbol("no data");
type Data = unknown | typeof NO_DATA;

/** Cost of a selection on a composite type (without the object's own point). */
function selectionCost(
  ctx: Ctx,
  selectionSet: SelectionSetNode | undefined,
  type: GraphQLCompositeType,
  data: Data,
): number {
  if (!selectionSet) return 0;
  if (!isAbstractType(type)) {
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

function sumFields(ctx: Ctx, fields: Map<string, CollectedField>, data: Data): number {
  let total = 0;
  for (const [key, field] of fields) {
    const value =
      data === NO_DATA
        ? NO_DATA
        : data && typeof data === "object"
          ? (data as Record<string, unknown>)[key]
          : undefined;
    total += fieldCost(ctx, field, value);
  }
  return total;
}

function fieldDefinition(
  parent: GraphQLCompositeType,
  name: string,
): GraphQLField<unknown, unknown> | undefined {
  if (isObjectType(parent) || "getFields" in parent) {
    return (parent as { getFields(): Record<string, GraphQLField<unknown, unknown>> }).getFields()[name];
  }
  return undefined;
}

function fieldCost(ctx: Ctx, field: CollectedField, data: Data): number {
  const node = field.nodes[0]!;
  const name = node.name.value;
  if (name.startsWith("__")) return 0;
  const def = fieldDefinition(field.parent, name);
  if (!def) return 0;
  const named = getNamedType(def.type);
  if (isLeafType(named)) return 0;
  const composite = named as GraphQLCompositeType;
  const selection = mergedSelectionSet(field.nodes);

  if (isConnectionType(named)) return connectionCost(ctx, node, composite, selection, data);

  const nullable = getNullableType(def.type);
  if (isListType(nullable)) {
    // A plain list of objects: `nodes(ids:)` is priced per id; other lists as one object.
    const ids = name === "nodes" ? argument(ctx, node, "ids") : undefined;
    if (Array.isArray(ids)) {
      if (data === NO_DATA)
        return ids.length * (OBJECT_COST + selectionCost(ctx, selection, composite, NO_DATA));
      const items = Array.isArray(data) ? data : [];
      return items.reduce<number>(
        (sum, item) =>
          sum + (item == null ? 0 : OBJECT_COST + selectionCost(ctx, selection, composite, item)),
        0,
      );
    }
    if (data === NO_DATA || !Array.isArray(data) || data.length === 0) {
      return OBJECT_COST + selectionCost(ctx, selection, composite, NO_DATA);
    }
    return (
      OBJECT_COST +
      Math.max(...data.map((item) => (item == null ? 0 : selectionCost(ctx, selection, composite, item))))
    );
  }

  if (data !== NO_DATA && data == null) return OBJECT_COST;
  return OBJECT_COST + selectionCost(ctx, selection, composite, data);
}

function connectionCost(
  ctx: Ctx,
  node: FieldNode,
  type: GraphQLCompositeType,
  selection: SelectionSetNode | undefined,
  data: Data,
): number {
  // One item is the most expensive of `edges { node }` and `nodes` (both return the same objects);
  // edges, cursor and pageInfo are part of the connection's base cost.
  const itemType = (() => {
    const nodesField = fieldDefinition(type, "nodes");
    if (nodesField) return getNamedType(nodesField.type) as GraphQLCompositeType;
    const edges = fieldDefinition(type, "edges");
    const edge = edges ? (getNamedType(edges.type) as GraphQLCompositeType) : undefined;
    const nodeField = edge ? fieldDefinition(edge, "node") : undefined;
    return nodeField ? (getNamedType(nodeField.type) as GraphQLCompositeType) : undefined;
  })();
  if (!selection || !itemType) return CONNECTION_BASE_COST;

  const fields = new Map<string, CollectedField>();
  collect(ctx, selection, type, type, fields, new Set());
  const nodeSelections: SelectionSetNode[] = [];
  const edgeKeys: string[] = [];
  const nodeKeys: { edgesKey: string; nodeKey: string }[] = [];
  for (const [key, field] of fields) {
    const name = field.nodes[0]!.name.value;
    if (name === "nodes") {
      const set = mergedSelectionSet(field.nodes);
      if (set) nodeSelections.push(set);
      edgeKeys.push(key);
    } else if (name === "edges") {
      const edgeSet = mergedSelectionSet(field.nodes);
      if (!edgeSet) continue;
      const edgeType = getNamedType(fieldDefinition(type, "edges")!.type) as GraphQLCompositeType;
      const edgeFields = new Map<string, CollectedField>();
      collect(ctx, edgeSet, edgeType, edgeType, edgeFields, new Set());
      for (const [edgeKey, edgeField] of edgeFields) {
        if (edgeField.nodes[0]!.name.value !== "node") continue;
        const set = mergedSelectionSet(edgeField.nodes);
        if (set) nodeSelections.push(set);
        nodeKeys.push({ edgesKey: key, nodeKey: edgeKey });
      }
    }
  }
  const merged: SelectionSetNode = {
    kind: Kind.SELECTION_SET,
    selections: nodeSelections.flatMap((s) => s.selections),
  };

  if (data === NO_DATA) {
    const size = Number(argument(ctx, node, "first") ?? argument(ctx, node, "last") ?? 0) || 0;
    const perItem = OBJECT_COST + selectionCost(ctx, merged, itemType, NO_DATA);
    return CONNECTION_BASE_COST + Math.max(0, size) * perItem;
  }
  if (data == null || typeof data !== "object") return CONNECTION_BASE_COST;
  // Actual cost: the items returned, each priced by what was selected on it.
  const record = data as Record<string, unknown>;
  let items: unknown[] = [];
  for (const key of edgeKeys) if (Array.isArray(record[key])) items = record[key] as unknown[];
  for (const { edgesKey, nodeKey } of nodeKeys) {
    const edges = record[edgesKey];
    if (Array.isArray(edges) && edges.length >= items.length) {
      items = edges.map((e) => (e && typeof e === "object" ? (e as Record<string, unknown>)[nodeKey] : null));
    }
  }
  let total = CONNECTION_BASE_COST;
  for (const item of items) total += OBJECT_COST + selectionCost(ctx, merged, itemType, item ?? NO_DATA);
  return total;
}

function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Variables,
  data: Data,
): number {
  const operation = findOperation(document, operationName);
  if (!operation) return 0;
  const ctx: Ctx = { schema, fragments: fragmentsOf(document), variables };
  if (operation.operation === "mutation") {
    const root = schema.getMutationType();
    if (!root) return 0;
    const fields = new Map<string, CollectedField>();
    collect(ctx, operation.selectionSet, root, root, fields, new Set());
    let total = 0;
    for (const field of fields.values())
      if (!field.nodes[0]!.name.value.startsWith("__")) total += MUTATION_FIELD_COST;
    return total;
  }
  const root = operation.operation === "query" ? schema.getQueryType() : schema.getSubscriptionType();
  if (!root) return 0;
  return selectionCost(ctx, operation.selectionSet, root, data);
}

/** The cost Shopify would reserve before running the operation. */
export function requestedQueryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName?: string | null,
  variables: Variables = {},
): number {
  return operationCost(schema, document, operationName, variables, NO_DATA);
}

/** The cost of what the operation returned (connections priced by the items they returned). */
export function actualQueryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Variables,
  data: unknown,
): number {
  return operationCost(schema, document, operationName, variables, data ?? null);
}
