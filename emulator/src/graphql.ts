// Admin GraphQL execution: parse and validate against Shopify's real schema (cached per query string),
// price the operation, take it from the shop's bucket (THROTTLED / MAX_COST_EXCEEDED as Shopify answers),
// execute with the emulator's resolvers, refund requested − actual, and attach `extensions.cost`.
import {
  execute,
  GraphQLError,
  parse,
  validate,
  type DocumentNode,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type GraphQLTypeResolver,
} from "graphql";
import { actualQueryCost, findOperation, requestedQueryCost, SINGLE_QUERY_MAX_COST } from "./cost";
import { Lru } from "./lru";
import type { Shop } from "./model";
import type { GraphqlContext, Resolver, ResolverMap } from "./resolvers/context";
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

/**
 * graphql-js validation messages rewritten the way Shopify (graphql-ruby) words the common ones, with
 * its `extensions.code`. Anything else keeps graphql-js's text.
 */
export function shopifyValidationError(error: GraphQLError): ShopifyGraphqlError {
  const base = { locations: error.locations ? [...error.locations] : undefined };
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
  return { ...base, message: error.message, extensions: { code: "validationFailed" } };
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

export class GraphqlEngine {
  private readonly cache = new Lru<string, Prepared>(1000);
  private readonly fieldResolver: GraphQLFieldResolver<unknown, GraphqlContext>;
  private readonly typeResolver: GraphQLTypeResolver<unknown, GraphqlContext>;
  readonly emulatedFields: Set<string>;

  constructor(readonly schema: GraphQLSchema) {
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
      const resolver = table.get(`${info.parentType.name}.${info.fieldName}`);
      if (resolver === true) return (source as Record<string, unknown>)[info.fieldName];
      if (resolver) return resolver(source, args, context, info);
      throw new GraphQLError(`Field '${info.parentType.name}.${info.fieldName}' is not emulated`, {
        extensions: { code: "NOT_EMULATED" },
      });
    };
    // Only customers are ever returned through Node (and DisplayableError is always concrete here).
    this.typeResolver = (value) =>
      value && typeof value === "object" && "numberOfOrders" in value ? "Customer" : undefined;
  }

  /** Parse + validate, cached per query string. */
  prepare(query: string): Prepared {
    const cached = this.cache.get(query);
    if (cached) return cached;
    let prepared: Prepared;
    try {
      const document = parse(query, { maxTokens: 50_000 });
      const errors = validate(this.schema, document);
      prepared = errors.length > 0 ? { errors: errors.map(shopifyValidationError) } : { document };
    } catch (error) {
      const e = error as GraphQLError;
      prepared = {
        errors: [
          {
            message: e.message,
            locations: e.locations ? [...e.locations] : undefined,
            extensions: { code: "parseError" },
          },
        ],
      };
    }
    this.cache.set(query, prepared);
    return prepared;
  }

  /**
   * The type of the operation a request selects ("query", "mutation", "subscription"), or null when the
   * document does not parse, validate or name an operation (then nothing runs).
   */
  operationType(request: { query: unknown; operationName?: unknown }): string | null {
    if (typeof request.query !== "string" || request.query.trim() === "") return null;
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
    context: Omit<GraphqlContext, "search">,
    forceThrottle = false,
  ): GraphqlResponseBody {
    const stats = shop.stats;
    stats.graphqlRequests++;
    const costBlock = (requested: number, actual: number | null) => ({
      cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: shop.bucket.status() },
    });
    if (typeof request.query !== "string" || request.query.trim() === "") {
      return { errors: [{ message: "No query string was present", extensions: { code: "badRequest" } }] };
    }
    const variables =
      request.variables && typeof request.variables === "object" && !Array.isArray(request.variables)
        ? (request.variables as Record<string, unknown>)
        : {};
    const operationName = typeof request.operationName === "string" ? request.operationName : undefined;
    const prepared = this.prepare(request.query);
    if (!prepared.document) return { errors: prepared.errors, extensions: costBlock(0, 0) };
    const document = prepared.document;
    if (!findOperation(document, operationName)) {
      const message = operationName
        ? `No operation named "${operationName}"`
        : "An operation name is required when the document contains several operations";
      return {
        errors: [{ message, extensions: { code: "operationNotFound" } }],
        extensions: costBlock(0, 0),
      };
    }

    const requested = requestedQueryCost(this.schema, document, operationName, variables);
    if (requested > SINGLE_QUERY_MAX_COST) {
      stats.maxCostExceeded++;
      return {
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
      };
    }
    if (forceThrottle || !shop.bucket.tryTake(requested)) {
      stats.throttled++;
      return {
        errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: RATE_LIMIT_DOC } }],
        extensions: costBlock(requested, null),
      };
    }
    stats.pointsRequested += requested;

    const fullContext: GraphqlContext = { ...context, search: [] };
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

    let actual = requested;
    if (result.data !== undefined) {
      actual = Math.min(
        requested,
        actualQueryCost(this.schema, document, operationName, variables, result.data),
      );
    } else {
      actual = 0; // variables could not be coerced: nothing ran
    }
    shop.bucket.refund(requested - actual);
    stats.pointsSpent += actual;
    const operation = findOperation(document, operationName);
    if (operation?.operation === "mutation") stats.mutations++;

    const body: GraphqlResponseBody = {};
    if (result.errors && result.errors.length > 0) body.errors = result.errors.map(formatExecutionError);
    if (result.data !== undefined) body.data = result.data;
    body.extensions = costBlock(requested, actual);
    if (fullContext.search.length > 0) body.extensions.search = fullContext.search;
    return body;
  }
}
