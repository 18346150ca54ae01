// Bulk operations in GraphQL: bulkOperationRunQuery, bulkOperationCancel, bulkOperation(id:),
// currentBulkOperation (../bulk.ts holds the operations, their timing, files and webhooks).
import { GraphQLError } from "graphql";
import type { BulkExecutor } from "../bulk";
import { invalidGid, parseGid, type GraphqlContext, type ResolverMap } from "./context";

function operations(context: GraphqlContext) {
  if (!context.bulkOperations)
    throw new GraphQLError("Bulk operations are not emulated here", { extensions: { code: "NOT_EMULATED" } });
  return context.bulkOperations;
}

function operationId(value: unknown): number | null {
  const gid = parseGid(value);
  if (!gid) throw invalidGid(value);
  return gid.type === "BulkOperation" && Number.isFinite(gid.id) ? gid.id : null;
}

export const bulkQueryResolvers: ResolverMap = {
  Query: {
    bulkOperation: (_s, args: { id: string }, context) => {
      const bulk = operations(context);
      const id = operationId(args.id);
      const op = id === null ? undefined : bulk.find(context.shop.domain, id);
      return op ? bulk.view(op) : null;
    },
    currentBulkOperation: (_s, args: { type?: string | null }, context) => {
      const bulk = operations(context);
      // Only query operations are emulated: there is never a current mutation operation.
      if ((args.type ?? "QUERY") !== "QUERY") return null;
      const op = bulk.current(context.shop);
      return op ? bulk.view(op) : null;
    },
  },
  BulkOperation: {
    id: true,
    status: true,
    type: true,
    errorCode: true,
    createdAt: true,
    completedAt: true,
    objectCount: true,
    rootObjectCount: true,
    fileSize: true,
    url: true,
    partialDataUrl: true,
    query: true,
  },
};

export const bulkMutationResolvers: ResolverMap = {
  Mutation: {
    bulkOperationRunQuery: (_s, args: { query: string; groupObjects?: boolean | null }, context) => {
      const executor = context.bulkExecutor as BulkExecutor | undefined;
      if (!executor)
        throw new GraphQLError("Bulk operations are not emulated here", {
          extensions: { code: "NOT_EMULATED" },
        });
      return operations(context).run(context.shop, args, context, executor);
    },
    bulkOperationCancel: (_s, args: { id: string }, context) => {
      const id = operationId(args.id);
      if (id === null)
        return {
          bulkOperation: null,
          userErrors: [{ field: ["id"], message: "Bulk operation does not exist" }],
        };
      return operations(context).cancel(context.shop, id);
    },
  },
  BulkOperationRunQueryPayload: { bulkOperation: true, userErrors: true },
  BulkOperationCancelPayload: { bulkOperation: true, userErrors: true },
  BulkOperationUserError: { code: true, field: true, message: true },
};
