import type { CustomerState } from "~/constants/invites";
import { SHOPIFY_PAGE_SIZE } from "~/constants/invites";
import { CustomerOutcomeStatesQuery } from "~/graphql/CustomerOutcomeStatesQuery";
import { CustomerSnapshotsQuery } from "~/graphql/CustomerSnapshotsQuery";
import { CustomerTaggedSnapshotsQuery } from "~/graphql/CustomerTaggedSnapshotsQuery";
import { CustomersPageQuery } from "~/graphql/CustomersPageQuery";
import { CustomerStatesQuery } from "~/graphql/CustomerStatesQuery";
import { requestAdmin } from "~/services/shopify/adminRequest.server";
import type { CustomerSnapshot } from "~/services/campaigns/eligibility";
import type { AdminGraphql } from "~/types/admin";
import type { CustomerState as AdminCustomerState } from "~/types/admin.types";

// The customer reads the invite engine makes: ids, account states and whether a default email address
// exists, none of them protected customer data beyond Level 1.

/** The app's state names are Shopify's: `tsc` fails here if the schema's enum ever changes. */
const sameStates: [`${AdminCustomerState}`] extends [CustomerState]
  ? [CustomerState] extends [`${AdminCustomerState}`]
    ? true
    : false
  : false = true;
void sameStates;

function stateOf(state: AdminCustomerState): CustomerState {
  return `${state}`;
}

interface CustomerNode {
  id: string;
  state: AdminCustomerState;
  defaultEmailAddress?: { validFormat: boolean } | null;
  tags?: string[] | null;
}

function snapshotOf(node: CustomerNode): CustomerSnapshot {
  return {
    id: node.id,
    state: stateOf(node.state),
    // The customer has a default email address (an address Shopify holds, well-formed or not).
    hasEmail: Boolean(node.defaultEmailAddress),
    ...(node.tags ? { tags: node.tags } : {}),
  };
}

/**
 * The answer of a `nodes(ids:)` read as a map over the ids asked for, in their order: `null` for an id
 * Shopify does not know (or that is not a customer).
 */
function byId<Node extends object, Value>(
  ids: string[],
  nodes: readonly (Node | null)[],
  valueOf: (node: Extract<Node, { id: string }>) => Value,
): Map<string, Value | null> {
  const found = new Map<string, Value | null>(ids.map((id) => [id, null]));
  for (const node of nodes) if (isCustomerNode(node)) found.set(node.id, valueOf(node));
  return found;
}

/** A node of the answer that is one of the customers asked for (other node types answer `{}`). */
function isCustomerNode<Node extends object>(node: Node | null): node is Extract<Node, { id: string }> {
  return node !== null && "id" in node && typeof node.id === "string";
}

/** Snapshots of up to 250 customers; `null` for an id Shopify does not know (or that is not a customer). */
export function readCustomerSnapshots({
  graphql,
  ids,
  timeoutMs,
  withTags = false,
}: {
  graphql: AdminGraphql;
  ids: string[];
  timeoutMs: number;
  /** Also read the customers' tags (automatic invites with required tags). */
  withTags?: boolean;
}) {
  assertPage(ids);
  return requestAdmin({
    send: (signal) =>
      withTags
        ? graphql(CustomerTaggedSnapshotsQuery, { variables: { ids }, signal })
        : graphql(CustomerSnapshotsQuery, { variables: { ids }, signal }),
    parse: (data) => byId(ids, data.nodes, snapshotOf),
    timeoutMs,
  });
}

/** One page of a customer search, in Shopify's order, with the cursor of the next page. */
export function readCustomersPage({
  graphql,
  query,
  after,
  timeoutMs,
}: {
  graphql: AdminGraphql;
  query: string;
  after: string | null;
  timeoutMs: number;
}) {
  return requestAdmin({
    send: (signal) =>
      graphql(CustomersPageQuery, { variables: { query, after, first: SHOPIFY_PAGE_SIZE }, signal }),
    parse: (data) => ({
      snapshots: data.customers.nodes.map(snapshotOf),
      hasNextPage: data.customers.pageInfo.hasNextPage,
      endCursor: data.customers.pageInfo.endCursor ?? null,
    }),
    timeoutMs,
  });
}

/** Current states of up to 250 customers (1 point each): settles recipients left in `sending`. */
export function readCustomerStates({
  graphql,
  ids,
  timeoutMs,
}: {
  graphql: AdminGraphql;
  ids: string[];
  timeoutMs: number;
}) {
  assertPage(ids);
  return requestAdmin({
    send: (signal) => graphql(CustomerStatesQuery, { variables: { ids }, signal }),
    parse: (data) => byId(ids, data.nodes, (node) => stateOf(node.state)),
    timeoutMs,
  });
}

/** States of up to 250 invited customers and when each last changed (reconciliation of open invites). */
export function readCustomerOutcomeStates({
  graphql,
  ids,
  timeoutMs,
}: {
  graphql: AdminGraphql;
  ids: string[];
  timeoutMs: number;
}) {
  assertPage(ids);
  return requestAdmin({
    send: (signal) => graphql(CustomerOutcomeStatesQuery, { variables: { ids }, signal }),
    parse: (data) =>
      byId(ids, data.nodes, (node) => ({
        state: stateOf(node.state),
        updatedAt: new Date(String(node.updatedAt)),
      })),
    timeoutMs,
  });
}

/**
 * Requested cost of the reads, as a live store prices them before running (emulator/README.md, "Cost
 * formula", calibrated on captured requests): `nodes(ids:)` is one list whatever its length, a
 * connection of 250 costs 2 + ⌊2 ln 250⌋ × its item. The pacer reserves these and settles on what Shopify
 * reports, so an estimate that is off costs a wait, never a refused request.
 */
export const READ_COST = {
  snapshots: (_ids: number) => 2,
  customersPage: () => 2 + 11 * 2,
  states: (_ids: number) => 1,
} as const;

function assertPage(ids: string[]) {
  if (ids.length === 0 || ids.length > SHOPIFY_PAGE_SIZE) {
    throw new Error(`between 1 and ${SHOPIFY_PAGE_SIZE} ids per request, not ${ids.length}`);
  }
}
