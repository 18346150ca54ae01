// Admin GraphQL execution: parse and validate against Shopify's real schema (cached per query string),
// price the operation, take it from the shop's bucket (THROTTLED / MAX_COST_EXCEEDED as Shopify answers),
// execute with the emulator's resolvers, refund requested − actual, and attach `extensions.cost`.
import {
  coerceInputValue,
  execute,
  getNamedType,
  getNullableType,
  GraphQLError,
  GraphQLList,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  parse,
  print,
  typeFromAST,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type DocumentNode,
  type FieldNode,
  type GraphQLFieldResolver,
  type GraphQLInputType,
  type GraphQLSchema,
  type GraphQLTypeResolver,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";
import { actualQueryCost, findOperation, requestedQueryCost, SINGLE_QUERY_MAX_COST } from "./cost";
import { Lru } from "./lru";
import type { ProtectedContent, Shop } from "./model";
import {
  parseGid,
  type GraphqlContext,
  type Redaction,
  type Resolver,
  type ResolverMap,
} from "./resolvers/context";
import type { SchemaMetadata, SearchFieldInfo } from "./schema";
import { mutationResolvers } from "./resolvers/mutations";
import { queryResolvers } from "./resolvers/query";

export const RATE_LIMIT_DOC = "https://shopify.dev/api/usage/rate-limits";

export interface ShopifyGraphqlError {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
  extensions: Record<string, unknown>;
}

export interface GraphqlResponseBody {
  data?: unknown;
  errors?: ShopifyGraphqlError[];
  extensions?: Record<string, unknown>;
}

interface Prepared {
  document?: DocumentNode;
  errors?: ShopifyGraphqlError[];
}

type Path = (string | number)[];

// ---------------------------------------------------------------------------------------------------
// Parse errors, worded like graphql-ruby's C parser ("syntax error, unexpected end of file at [1, 16]",
// seen in shopify-captures/bulk-operations), code PARSE_ERROR.

const PUNCTUATORS: Record<string, string> = {
  "{": "LCURLY",
  "}": "RCURLY",
  "(": "LPAREN",
  ")": "RPAREN",
  "[": "LBRACKET",
  "]": "RBRACKET",
  ":": "COLON",
  $: "VAR_SIGN",
  "@": "DIR_SIGN",
  "...": "ELLIPSIS",
  "=": "EQUALS",
  "!": "BANG",
  "|": "PIPE",
  "&": "AMP",
};
const KEYWORDS = new Set([
  "query",
  "mutation",
  "subscription",
  "fragment",
  "on",
  "true",
  "false",
  "null",
  "type",
  "schema",
  "scalar",
  "enum",
  "input",
  "interface",
  "union",
  "extend",
  "directive",
  "implements",
  "repeatable",
]);

export function shopifyParseError(error: GraphQLError): ShopifyGraphqlError {
  const location = error.locations?.[0] ?? { line: 1, column: 1 };
  const at = `at [${location.line}, ${location.column}]`;
  const text = error.message.replace(/^Syntax Error: /, "");
  let unexpected = "invalid token";
  if (/<EOF>/.test(text)) unexpected = "end of file";
  else {
    const m = /(?:found|Unexpected) (Name|Int|Float|String|BlockString) "(.*)"\.?$/.exec(text);
    const p = /(?:found|Unexpected) "(.*)"\.?$/.exec(text);
    const c = /character[:]? "(.*)"\.?$/.exec(text);
    if (m) {
      const kind = m[1] === "Name" ? (KEYWORDS.has(m[2]!) ? m[2]!.toUpperCase() : "IDENTIFIER") : m[1]!;
      unexpected = `${kind === "BlockString" ? "STRING" : kind.toUpperCase()} (${JSON.stringify(m[2])})`;
    } else if (p && PUNCTUATORS[p[1]!]) unexpected = `${PUNCTUATORS[p[1]!]} (${JSON.stringify(p[1])})`;
    else if (c) unexpected = `invalid token (${JSON.stringify(c[1])})`;
  }
  return {
    message: `syntax error, unexpected ${unexpected} ${at}`,
    locations: [{ line: location.line, column: location.column }],
    extensions: { code: "PARSE_ERROR" },
  };
}

// ---------------------------------------------------------------------------------------------------
// Static validation: graphql-js rules, reported the way Shopify (graphql-ruby) does: its messages and
// codes, and `path` = the operation ("query Name", "mutation", …) then the response keys (alias or name),
// fragments ("... on Type", "fragment Name") and arguments down to the offending node.

interface NodeInfo {
  path: Path;
  /** The operation a variable definition belongs to. */
  operation?: OperationDefinitionNode;
  /** The field (and argument) a value node belongs to. */
  field?: FieldNode;
  argument?: string;
}

function nodePaths(document: DocumentNode): Map<ASTNode, NodeInfo> {
  const map = new Map<ASTNode, NodeInfo>();
  const walkValue = (value: ValueNode, path: Path, field: FieldNode, argument: string) => {
    map.set(value, { path, field, argument });
    if (value.kind === Kind.OBJECT) {
      for (const f of value.fields) {
        const p = [...path, f.name.value];
        map.set(f, { path: p, field, argument });
        walkValue(f.value, p, field, argument);
      }
    } else if (value.kind === Kind.LIST)
      value.values.forEach((v, i) => walkValue(v, [...path, i], field, argument));
  };
  const walkSelections = (set: SelectionSetNode | undefined, path: Path) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        const p = [...path, selection.alias?.value ?? selection.name.value];
        map.set(selection, { path: p });
        for (const arg of selection.arguments ?? []) {
          const ap = [...p, arg.name.value];
          map.set(arg, { path: ap, field: selection, argument: arg.name.value });
          walkValue(arg.value, ap, selection, arg.name.value);
        }
        for (const directive of selection.directives ?? []) map.set(directive, { path: p });
        walkSelections(selection.selectionSet, p);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const p = [...path, selection.typeCondition ? `... on ${selection.typeCondition.name.value}` : "..."];
        map.set(selection, { path: p });
        if (selection.typeCondition) map.set(selection.typeCondition, { path: p });
        walkSelections(selection.selectionSet, p);
      } else {
        map.set(selection, { path: [...path, `... ${selection.name.value}`] });
      }
    }
  };
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) {
      const label = operationLabel(definition);
      map.set(definition, { path: [label] });
      for (const variable of definition.variableDefinitions ?? [])
        map.set(variable, { path: [label], operation: definition });
      walkSelections(definition.selectionSet, [label]);
    } else if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      const label = `fragment ${definition.name.value}`;
      map.set(definition, { path: [label] });
      map.set(definition.typeCondition, { path: [label] });
      walkSelections(definition.selectionSet, [label]);
    }
  }
  return map;
}

function operationLabel(operation: OperationDefinitionNode): string {
  return operation.name ? `${operation.operation} ${operation.name.value}` : operation.operation;
}

const loc = (node: ASTNode | undefined) => {
  if (!node?.loc) return undefined;
  const { line, column } = node.loc.startToken;
  return [{ line, column }];
};

/**
 * graphql-js validation messages rewritten the way Shopify (graphql-ruby) words the common ones, with
 * its `extensions.code` and `path`. Anything else keeps graphql-js's text (code `validationFailed`).
 */
export function shopifyValidationError(
  error: GraphQLError,
  paths: Map<ASTNode, NodeInfo> = new Map(),
  argTypes?: () => ArgumentTypes,
): ShopifyGraphqlError {
  const node = error.nodes?.[0];
  const info = node ? paths.get(node) : undefined;
  const base = {
    locations: error.locations ? [...error.locations] : undefined,
    ...(info ? { path: info.path } : {}),
  };
  let m = /^Cannot query field "([^"]+)" on type "([^"]+)"\./.exec(error.message);
  if (m) {
    return {
      ...base,
      message: `Field '${m[1]}' doesn't exist on type '${m[2]}'`,
      extensions: { code: "undefinedField", typeName: m[2], fieldName: m[1] },
    };
  }
  m = /^Unknown argument "([^"]+)" on field "([^".]+)\.([^"]+)"\./.exec(error.message);
  if (m) {
    return {
      ...base,
      message: `Field '${m[3]}' doesn't accept argument '${m[1]}'`,
      extensions: { code: "argumentNotAccepted", name: m[3], typeName: "Field", argumentName: m[1] },
    };
  }
  m = /^Field "([^"]+)" argument "([^"]+)" of type "([^"]+)" is required, but it was not provided\./.exec(
    error.message,
  );
  if (m) {
    return {
      ...base,
      message: `Field '${m[1]}' is missing required arguments: ${m[2]}`,
      extensions: { code: "missingRequiredArguments", className: "Field", name: m[1], arguments: m[2] },
    };
  }
  m = /^Field "([^"]+)" of type "([^"]+)" must have a selection of subfields\./.exec(error.message);
  if (m) {
    const type = m[2]!.replace(/[[\]!]/g, "");
    return {
      ...base,
      message: `Field must have selections (field '${m[1]}' returns ${type} but has no selections. Did you mean '${m[1]} { ... }'?)`,
      extensions: { code: "selectionMismatch", nodeName: `field '${m[1]}'`, typeName: type },
    };
  }
  m = /^Field "([^"]+)" must not have a selection since type "([^"]+)" has no subfields\./.exec(
    error.message,
  );
  if (m) {
    return {
      ...base,
      message: `Selections can't be made on scalars (field '${m[1]}' returns ${m[2]!.replace(/[[\]!]/g, "")} but has selections [...])`,
      extensions: { code: "selectionMismatch", nodeName: `field '${m[1]}'`, typeName: m[2] },
    };
  }
  m = /^Unknown type "([^"]+)"\./.exec(error.message);
  if (m)
    return {
      ...base,
      message: `No such type ${m[1]}, so it can't be a fragment condition`,
      extensions: { code: "undefinedType", typeName: m[1] },
    };
  m = /^Variable "\$([^"]+)" is never used(?: in operation "([^"]+)")?\./.exec(error.message);
  if (m) {
    const operation = info?.operation;
    return {
      message: `Variable $${m[1]} is declared by ${m[2] ?? "anonymous query"} but not used`,
      locations: loc(operation) ?? base.locations,
      ...(info ? { path: info.path } : {}),
      extensions: { code: "variableNotUsed", variableName: m[1] },
    };
  }
  m = /^Field "([^".]+)\.([^"]+)" of required type "([^"]+)" was not provided\./.exec(error.message);
  if (m) {
    return {
      ...base,
      ...(info ? { path: [...info.path, m[2]!] } : {}),
      message: `Argument '${m[2]}' on InputObject '${m[1]}' is required. Expected type ${m[3]}`,
      extensions: {
        code: "missingRequiredInputObjectAttribute",
        argumentName: m[2],
        argumentType: m[3],
        inputObjectType: m[1],
      },
    };
  }
  m = /^Field "([^"]+)" is not defined by type "([^"]+)"/.exec(error.message);
  if (m && info) {
    return {
      ...base,
      path: [...info.path, m[1]!],
      message: `InputObject '${m[2]}' doesn't accept argument '${m[1]}'`,
      extensions: { code: "argumentNotAccepted", name: m[2], typeName: "InputObject", argumentName: m[1] },
    };
  }
  const literal =
    /^(Expected value of type "[^"]+", found |Value ".*" does not exist in "[^"]+" enum|Enum "[^"]+" cannot represent|(Int|Float|String|Boolean|ID) cannot represent)/;
  if (literal.test(error.message) && info?.field && info.argument && argTypes && node) {
    const field = info.field;
    const argNode = field.arguments?.find((a) => a.name.value === info.argument);
    const types = argTypes();
    const objectField = types.objectFields.get(node);
    if (objectField && argNode?.value !== node) {
      return {
        message: `Argument '${objectField.name}' on InputObject '${objectField.parentType}' has an invalid value (${print(node as ValueNode)}). Expected type '${objectField.type}'.`,
        locations: base.locations,
        path: info.path,
        extensions: {
          code: "argumentLiteralsIncompatible",
          typeName: "InputObject",
          argumentName: objectField.name,
        },
      };
    }
    const argType = types.fields.get(field)?.get(info.argument) ?? "";
    return {
      message: `Argument '${info.argument}' on Field '${field.name.value}' has an invalid value (${argNode ? print(argNode.value) : "null"}). Expected type '${argType}'.`,
      locations: loc(field),
      path: paths.get(argNode ?? field)?.path ?? info.path,
      extensions: { code: "argumentLiteralsIncompatible", typeName: "Field", argumentName: info.argument },
    };
  }
  return { ...base, message: error.message, extensions: { code: "validationFailed" } };
}

interface ArgumentTypes {
  /** Field node → argument name → declared type. */
  fields: Map<FieldNode, Map<string, string>>;
  /** Value node of an input object field → the field's name, its object's type and its own type. */
  objectFields: Map<ASTNode, { name: string; parentType: string; type: string }>;
}

/** Declared types of arguments and input object fields, through graphql-js's TypeInfo. */
function argumentTypes(schema: GraphQLSchema, document: DocumentNode): ArgumentTypes {
  const fields = new Map<FieldNode, Map<string, string>>();
  const objectFields = new Map<ASTNode, { name: string; parentType: string; type: string }>();
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const definition = typeInfo.getFieldDef();
        if (definition) fields.set(node, new Map(definition.args.map((a) => [a.name, String(a.type)])));
      },
      ObjectField(node) {
        const parent = typeInfo.getParentInputType();
        const type = typeInfo.getInputType();
        if (parent && type)
          objectFields.set(node.value, {
            name: node.name.value,
            parentType: String(getNamedType(parent)),
            type: String(type),
          });
      },
    }),
  );
  return { fields, objectFields };
}

export class GraphqlEngine {
  private readonly cache = new Lru<string, Prepared>(1000);
  private readonly fieldResolver: GraphQLFieldResolver<unknown, GraphqlContext>;
  private readonly typeResolver: GraphQLTypeResolver<unknown, GraphqlContext>;
  readonly emulatedFields: Set<string>;
  /** The filters `customers(query:)` documents (the control API and the local admin search like it). */
  get customerSearchFields(): ReadonlyMap<string, SearchFieldInfo> | null {
    return this.meta.searchFields.get(`${this.schema.getQueryType()?.name ?? "QueryRoot"}.customers`) ?? null;
  }

  constructor(
    readonly schema: GraphQLSchema,
    readonly meta: SchemaMetadata = { protectedFields: new Map(), searchFields: new Map() },
  ) {
    const queryName = schema.getQueryType()?.name ?? "QueryRoot";
    const mutationName = schema.getMutationType()?.name ?? "Mutation";
    const all: ResolverMap = { ...queryResolvers, ...mutationResolvers };
    const table = new Map<string, true | Resolver>();
    for (const [typeName, fields] of Object.entries(all)) {
      const realName = typeName === "Query" ? queryName : typeName === "Mutation" ? mutationName : typeName;
      for (const [field, resolver] of Object.entries(fields)) table.set(`${realName}.${field}`, resolver);
    }
    this.emulatedFields = new Set(table.keys());
    this.fieldResolver = (source, args, context, info) => {
      const key = `${info.parentType.name}.${info.fieldName}`;
      const resolver = table.get(key);
      if (!resolver) {
        throw new GraphQLError(`Field '${key}' is not emulated`, { extensions: { code: "NOT_EMULATED" } });
      }
      // Protected customer data the shop did not grant: null at the field, an error naming the object.
      const content = meta.protectedFields.get(key) as ProtectedContent | undefined;
      if (content && !context.shop.customerData.fields.includes(content)) {
        const path: Path = [];
        for (let p: typeof info.path | undefined = info.path; p; p = p.prev) path.unshift(p.key);
        context.redactions.push({
          path,
          locations: loc(info.fieldNodes[0]) ?? [],
          message: `This app is not approved to access the ${info.parentType.name} object. See ${PROTECTED_DATA_DOC} for more details.`,
        });
        // A placeholder graphql-js accepts even for a non-null field; run() puts null in its place.
        if (!isNonNullType(info.returnType)) return null;
        return isListType(info.returnType.ofType) ? [] : "";
      }
      if (resolver === true) return (source as Record<string, unknown>)[info.fieldName];
      return resolver(source, args, context, info);
    };
    // Only customers are ever returned through Node (and DisplayableError is always concrete here).
    this.typeResolver = (value) =>
      value && typeof value === "object" && "numberOfOrders" in value ? "Customer" : undefined;
  }

  /** What bulk queries run with: the same schema and resolvers as every request. */
  get bulkExecutor() {
    return { schema: this.schema, fieldResolver: this.fieldResolver, typeResolver: this.typeResolver };
  }

  /** Parse + validate, cached per query string. */
  prepare(query: string): Prepared {
    const cached = this.cache.get(query);
    if (cached) return cached;
    let prepared: Prepared;
    try {
      const document = parse(query, { maxTokens: 50_000 });
      const errors = validate(this.schema, document);
      if (errors.length > 0) {
        const paths = nodePaths(document);
        let types: ArgumentTypes | undefined;
        const argTypes = () => (types ??= argumentTypes(this.schema, document));
        prepared = {
          errors: groupMissingArguments(errors.map((e) => shopifyValidationError(e, paths, argTypes))),
        };
      } else {
        const literalErrors = invalidIdLiterals(this.schema, document);
        prepared = literalErrors.length > 0 ? { errors: literalErrors } : { document };
      }
    } catch (error) {
      prepared = { errors: [shopifyParseError(error as GraphQLError)] };
    }
    this.cache.set(query, prepared);
    return prepared;
  }

  /**
   * The type of the operation a request selects ("query", "mutation", "subscription"), or null when the
   * document does not parse, validate or name an operation (then nothing runs).
   */
  operationType(request: { query: unknown; operationName?: unknown }): string | null {
    if (typeof request.query !== "string") return null;
    const document = this.prepare(request.query).document;
    if (!document) return null;
    const operationName = typeof request.operationName === "string" ? request.operationName : undefined;
    return findOperation(document, operationName)?.operation ?? null;
  }

  /**
   * Runs one request for a shop. `forceThrottle` answers THROTTLED without looking at the bucket
   * (the throttleBurst fault).
   */
  run(
    shop: Shop,
    request: { query: unknown; variables?: unknown; operationName?: unknown },
    context: Omit<GraphqlContext, "search" | "redactions" | "meta">,
    forceThrottle = false,
  ): GraphqlResponseBody {
    const started = this.start(shop, request, context, forceThrottle);
    return "body" in started ? started.body : started.finish();
  }

  /**
   * The two halves of a request, for a request that takes time (the execution-time faults): `start`
   * answers what Shopify answers before running (validation, MAX_COST_EXCEEDED, THROTTLED) or takes the
   * requested cost from the bucket, as Shopify does when a request starts; `finish` executes it, refunds
   * requested − actual and reports the bucket as it is then. `mutations` counts the operation's
   * top-level mutation fields (each alias once).
   */
  start(
    shop: Shop,
    request: { query: unknown; variables?: unknown; operationName?: unknown },
    context: Omit<GraphqlContext, "search" | "redactions" | "meta">,
    forceThrottle = false,
  ): { body: GraphqlResponseBody } | { mutations: number; finish: () => GraphqlResponseBody } {
    const answer = (body: GraphqlResponseBody) => ({ body });
    const stats = shop.stats;
    stats.graphqlRequests++;
    const costBlock = (requested: number, actual: number | null) => ({
      cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: shop.bucket.status() },
    });
    if (typeof request.query !== "string") {
      return answer({
        errors: [{ message: "No query string was present", extensions: { code: "badRequest" } }],
      });
    }
    const variables =
      request.variables && typeof request.variables === "object" && !Array.isArray(request.variables)
        ? (request.variables as Record<string, unknown>)
        : {};
    const operationName = typeof request.operationName === "string" ? request.operationName : undefined;
    // Parse, validation and variable errors are answered before anything runs: `{ errors }` alone, no
    // data and no cost block (as the captures show).
    const prepared = this.prepare(request.query);
    if (!prepared.document) return answer({ errors: prepared.errors });
    const document = prepared.document;
    const operation = findOperation(document, operationName);
    if (!operation) {
      const message = operationName
        ? `No operation named "${operationName}"`
        : "An operation name is required";
      return answer({ errors: [{ message, extensions: { code: "operationNotFound" } }] });
    }
    const variableErrors = invalidVariables(this.schema, operation, variables);
    if (variableErrors.length > 0) return answer({ errors: variableErrors });

    const requested = requestedQueryCost(this.schema, document, operationName, variables);
    if (requested > SINGLE_QUERY_MAX_COST) {
      stats.maxCostExceeded++;
      return answer({
        errors: [
          {
            message:
              `Query cost is ${requested}, which exceeds the single query max cost limit (${SINGLE_QUERY_MAX_COST}).\n\n` +
              "See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\n" +
              "cost of a query is calculated.\n\n" +
              "To query larger amounts of data with fewer limits, bulk operations should be used instead.\n" +
              "See https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n",
            extensions: {
              code: "MAX_COST_EXCEEDED",
              cost: requested,
              maxCost: SINGLE_QUERY_MAX_COST,
              documentation: RATE_LIMIT_DOC,
            },
          },
        ],
        extensions: costBlock(requested, null),
      });
    }
    if (forceThrottle || !shop.bucket.tryTake(requested)) {
      stats.throttled++;
      return answer({
        errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: RATE_LIMIT_DOC } }],
        extensions: costBlock(requested, null),
      });
    }
    stats.pointsRequested += requested;
    const mutations =
      operation.operation === "mutation"
        ? operation.selectionSet.selections.filter((selection) => selection.kind === Kind.FIELD).length
        : 0;
    return { mutations, finish: () => this.finish(shop, document, operation, variables, requested, context) };
  }

  private finish(
    shop: Shop,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown>,
    requested: number,
    context: Omit<GraphqlContext, "search" | "redactions" | "meta">,
  ): GraphqlResponseBody {
    const stats = shop.stats;
    const operationName = operation.name?.value;
    const costBlock = (requestedCost: number, actual: number | null) => ({
      cost: {
        requestedQueryCost: requestedCost,
        actualQueryCost: actual,
        throttleStatus: shop.bucket.status(),
      },
    });
    const fullContext: GraphqlContext = {
      ...context,
      meta: this.meta,
      search: [],
      redactions: [],
      emulatedFields: this.emulatedFields,
      bulkExecutor: this.bulkExecutor,
    };
    const result = execute({
      schema: this.schema,
      document,
      variableValues: variables,
      operationName,
      contextValue: fullContext,
      fieldResolver: this.fieldResolver,
      typeResolver: this.typeResolver,
    });
    if (result instanceof Promise) throw new Error("emulator resolvers must be synchronous");
    if (result.data === undefined) {
      // Variables graphql-js could not coerce (invalidVariables let them through): nothing ran.
      shop.bucket.refund(requested);
      stats.pointsRequested -= requested;
      return {
        errors: (result.errors ?? []).map((e) => ({
          message: e.message,
          locations: e.locations ? [...e.locations] : undefined,
          extensions: { code: "INVALID_VARIABLE" },
        })),
      };
    }
    for (const redaction of fullContext.redactions) setNull(result.data, redaction.path);

    const actual = Math.min(
      requested,
      actualQueryCost(this.schema, document, operationName, variables, result.data),
    );
    shop.bucket.refund(requested - actual);
    stats.pointsSpent += actual;
    if (operation.operation === "mutation") stats.mutations++;

    const body: GraphqlResponseBody = {};
    const errors = [
      ...(result.errors ?? []).map(formatExecutionError),
      ...fullContext.redactions.map(redactionError),
    ];
    if (errors.length > 0) body.errors = errors;
    body.data = result.data;
    body.extensions = costBlock(requested, actual);
    if (fullContext.search.length > 0) body.extensions.search = fullContext.search;
    return body;
  }
}

export const PROTECTED_DATA_DOC = "https://shopify.dev/docs/apps/launch/protected-customer-data";

function redactionError(redaction: Redaction): ShopifyGraphqlError {
  return {
    message: redaction.message,
    locations: redaction.locations,
    path: redaction.path,
    extensions: { code: "ACCESS_DENIED" },
  };
}

function setNull(data: unknown, path: Path): void {
  let node = data as Record<string | number, unknown> | null;
  for (let i = 0; i < path.length - 1; i++) {
    const next = node?.[path[i]!];
    if (next === null || typeof next !== "object") return;
    node = next as Record<string | number, unknown>;
  }
  if (node && path.length > 0) node[path[path.length - 1]!] = null;
}

function formatExecutionError(error: GraphQLError): ShopifyGraphqlError {
  const json = error.toJSON() as ShopifyGraphqlError;
  const original = error.originalError as (Error & { extensions?: Record<string, unknown> }) | undefined;
  const extensions = {
    ...(original && "extensions" in original ? original.extensions : {}),
    ...(json.extensions ?? {}),
  };
  if (!extensions.code) extensions.code = error.path ? "INTERNAL_SERVER_ERROR" : "variableMismatch";
  return { message: json.message, locations: json.locations, path: json.path, extensions };
}

/** graphql-ruby reports one "missing required arguments: a, b" error per field; graphql-js one per argument. */
function groupMissingArguments(errors: ShopifyGraphqlError[]): ShopifyGraphqlError[] {
  const out: ShopifyGraphqlError[] = [];
  const byField = new Map<string, ShopifyGraphqlError>();
  for (const error of errors) {
    if (error.extensions.code !== "missingRequiredArguments") {
      out.push(error);
      continue;
    }
    const key = JSON.stringify([error.path, error.locations]);
    const existing = byField.get(key);
    if (!existing) {
      byField.set(key, error);
      out.push(error);
      continue;
    }
    const args = `${String(existing.extensions.arguments)}, ${String(error.extensions.arguments)}`;
    existing.extensions.arguments = args;
    existing.message = `Field '${String(existing.extensions.name)}' is missing required arguments: ${args}`;
  }
  return out;
}

/**
 * Shopify's ID scalar takes global ids only: a literal that is not one is refused before execution
 * ("Invalid global id 'x'", `argumentLiteralsIncompatible`, at the field, path down to the argument).
 */
function invalidIdLiterals(schema: GraphQLSchema, document: DocumentNode): ShopifyGraphqlError[] {
  const errors: ShopifyGraphqlError[] = [];
  const paths = nodePaths(document);
  const queryType = schema.getQueryType();
  const mutationType = schema.getMutationType();
  const fragments = new Map(
    document.definitions.flatMap((d) =>
      d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [],
    ),
  );
  const visitSet = (set: SelectionSetNode | undefined, parent: ReturnType<GraphQLSchema["getType"]>) => {
    if (!set || !parent || !("getFields" in parent)) return;
    const fields = parent.getFields();
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const definition = fields[selection.name.value];
        if (!definition) continue;
        for (const arg of selection.arguments ?? []) {
          const argDef =
            "args" in definition ? definition.args.find((a) => a.name === arg.name.value) : undefined;
          if (!argDef) continue;
          checkIdValue(arg.value, argDef.type, (value) =>
            errors.push({
              message: `Invalid global id '${value}'`,
              locations: loc(selection),
              path: paths.get(arg)?.path,
              extensions: { code: "argumentLiteralsIncompatible", typeName: "CoercionError" },
            }),
          );
        }
        visitSet(
          selection.selectionSet,
          getNamedType(definition.type) as ReturnType<GraphQLSchema["getType"]>,
        );
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        visitSet(selection.selectionSet, type);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment) visitSet(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value));
      }
    }
  };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    visitSet(
      definition.selectionSet,
      (definition.operation === "mutation" ? mutationType : queryType) ?? undefined,
    );
  }
  return errors;
}

/** Calls `refuse` for each string/int literal of an ID (or list of ID) argument that is not a global id. */
function checkIdValue(value: ValueNode, type: GraphQLInputType, refuse: (value: string) => void): void {
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    if (value.kind === Kind.LIST)
      for (const item of value.values) checkIdValue(item, nullable.ofType, refuse);
    else checkIdValue(value, nullable.ofType, refuse);
    return;
  }
  if (String(nullable) !== "ID") return;
  if ((value.kind === Kind.STRING || value.kind === Kind.INT) && !parseGid(value.value)) refuse(value.value);
}

// ---------------------------------------------------------------------------------------------------
// Variables: Shopify's INVALID_VARIABLE ("Variable $id of type ID! was provided invalid value", the
// variable's location, `extensions: { code, value, problems: [{ path, explanation, message }] }`).

interface Problem {
  path: (string | number)[];
  explanation: string;
  message: string;
}

const show = (value: unknown) =>
  typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));

function explain(message: string, type: GraphQLInputType | undefined, invalid: unknown): string {
  let m = /^Field "([^"]+)" of required type "[^"]+" was not provided\./.exec(message);
  if (m) return "Expected value to not be null";
  if (/^Expected non-nullable type "[^"]+" not to be null\./.test(message))
    return "Expected value to not be null";
  m = /^Field "([^"]+)" is not defined by type "([^"]+)"/.exec(message);
  if (m) return `Field is not defined on ${m[2]}`;
  m = /^Value "?(.*?)"? does not exist in "([^"]+)" enum/.exec(message);
  if (m && type) {
    const named = getNamedType(type);
    const values = isEnumType(named) ? named.getValues().map((v) => v.name) : [];
    return `Expected ${show(invalid)} to be one of: ${values.join(", ")}`;
  }
  m = /^(Int|Float|String|Boolean|ID) cannot represent/.exec(message);
  if (m) return `Could not coerce value ${show(invalid)} to ${m[1]}`;
  m = /^Expected type "([^"]+)" to be an object\./.exec(message);
  if (m) return `Expected ${show(invalid)} to be a key-value object.`;
  return message;
}

function typeAt(type: GraphQLInputType, path: readonly (string | number)[]): GraphQLInputType | undefined {
  let current: GraphQLInputType | undefined = type;
  for (const key of path) {
    const nullable: GraphQLInputType | undefined = current ? getNullableType(current) : undefined;
    if (!nullable) return undefined;
    if (isListType(nullable) && typeof key === "number") current = nullable.ofType as GraphQLInputType;
    else if (isInputObjectType(nullable) && typeof key === "string")
      current = nullable.getFields()[key]?.type;
    else return undefined;
  }
  return current;
}

function invalidVariables(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): ShopifyGraphqlError[] {
  const errors: ShopifyGraphqlError[] = [];
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
    if (!type) continue;
    const typeString = print(definition.type);
    const provided = Object.prototype.hasOwnProperty.call(variables, name);
    const value = variables[name];
    const problems: Problem[] = [];
    const problem = (path: (string | number)[], explanation: string) =>
      problems.push({ path, explanation, message: explanation });
    if (!provided || value === null) {
      if (isNonNullType(type) && !(definition.defaultValue && !provided))
        problem([], "Expected value to not be null");
    } else {
      coerceInputValue(value, type, (path, invalid, error) => {
        const fieldMissing = /^Field "([^"]+)" of required type/.exec(error.message);
        const unknownField = /^Field "([^"]+)" is not defined by type/.exec(error.message);
        const at = [...path];
        if (fieldMissing) at.push(fieldMissing[1]!);
        else if (unknownField) at.push(unknownField[1]!);
        problem(at, explain(error.message, typeAt(type, at) ?? typeAt(type, path), invalid));
      });
      if (problems.length === 0) checkIdVariable(value, type, [], problem);
    }
    if (problems.length === 0) continue;
    const located = problems.filter((p) => p.path.length > 0);
    const detail =
      located.length > 0
        ? ` for ${located.map((p) => p.path.join(".")).join(", ")} (${located.map((p) => p.explanation).join(", ")})`
        : "";
    errors.push({
      message: `Variable $${name} of type ${typeString} was provided invalid value${detail}`,
      locations: loc(definition),
      extensions: { code: "INVALID_VARIABLE", value: value === undefined ? null : value, problems },
    });
  }
  return errors;
}

/** Global-id check of a variable typed ID / [ID] (directly, not inside input objects). */
function checkIdVariable(
  value: unknown,
  type: GraphQLInputType,
  path: (string | number)[],
  problem: (path: (string | number)[], explanation: string) => void,
): void {
  const nullable = getNullableType(type);
  if (value === null || value === undefined) return;
  if (nullable instanceof GraphQLList) {
    if (Array.isArray(value))
      value.forEach((v, i) => checkIdVariable(v, nullable.ofType, [...path, i], problem));
    else checkIdVariable(value, nullable.ofType, path, problem);
    return;
  }
  if (String(nullable) !== "ID") return;
  const text = String(value);
  if (!parseGid(text)) problem(path, `Invalid global id '${text}'`);
}
