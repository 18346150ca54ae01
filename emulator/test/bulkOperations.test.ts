// Bulk query operations as ../shared/shopify-captures/bulk-operations/ shows live Shopify answering them
// (API 2025-01 and 2026-04): validators with their exact messages and codes, statuses over time, counts
// as strings, cancel, the concurrency limit per API version, the JSONL file and its signed URL's expiry,
// the finish webhook, and what each call costs. The expected answers are written here from the captures;
// the capture files stay outside the repository.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { analyzeBulkQuery, encodeLine } from "../src/bulk";
import type { Emulator } from "../src/server";
import {
  control,
  exchangeToken,
  post,
  SHOP,
  shopWithClient,
  startEmulator,
  type Json,
  type ShopClient,
} from "./helpers";

const RUN = `mutation Run($query: String!) {
  bulkOperationRunQuery(query: $query) {
    bulkOperation { id status type errorCode createdAt completedAt objectCount rootObjectCount fileSize url partialDataUrl query }
    userErrors { field message code } } }`;
const READ = `query Read($id: ID!) {
  bulkOperation(id: $id) { id status type errorCode createdAt completedAt objectCount rootObjectCount fileSize url partialDataUrl query } }`;
const CANCEL = `mutation Cancel($id: ID!) {
  bulkOperationCancel(id: $id) { bulkOperation { id status objectCount completedAt url } userErrors { field message } } }`;
const CURRENT = `query { currentBulkOperation(type: QUERY) { id status } }`;

const CUSTOMERS = `{
  customers(query: "state:disabled") {
    edges { node { id state defaultEmailAddress { validFormat } } }
  }
}`;

let emulator: Emulator;
let client: ShopClient;
let receiver: Server;
const received: { topic: string; body: Json }[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      received.push({ topic: String(req.headers["x-shopify-topic"]), body: JSON.parse(body) });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  // A clock that moves only when told to (emulator.clock.advance): statuses over time are exact.
  const frozen = Date.now();
  emulator = await startEmulator({
    now: () => frozen,
    appUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`,
    webhooks: { "bulk_operations/finish": "/webhooks/bulk_operations/finish" },
  });
  client = await shopWithClient(emulator, { customers: 300, seed: 3, plan: "standard" });
});
afterAll(async () => {
  await emulator.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});
beforeEach(async () => {
  // Tests move the emulator clock (days, for the URL's expiry): a fresh token for each.
  const token = (await exchangeToken(emulator, SHOP)).json.access_token as string;
  client = {
    ...client,
    token,
    gql: (query, variables) =>
      post(
        emulator,
        "/admin/api/2026-10/graphql.json",
        { query, variables },
        { "X-Shopify-Access-Token": token, "X-Forwarded-Host": SHOP },
      ),
  };
  await cancelAll();
  await control(emulator, "PATCH", `shops/${SHOP}`, { fillBucket: true });
});

async function cancelAll() {
  for (const op of emulator.bulk.list(SHOP)) {
    const status = emulator.bulk.status(op);
    if (status === "CREATED" || status === "RUNNING")
      emulator.bulk.cancel(emulator.store.getShop(SHOP)!, op.id);
  }
  emulator.clock.advance(emulator.bulk.timing.cancelMs);
}

const run = (query: string, version = "2026-10") =>
  post(
    emulator,
    `/admin/api/${version}/graphql.json`,
    { query: RUN, variables: { query } },
    { "X-Shopify-Access-Token": client.token, "X-Forwarded-Host": SHOP },
  );
const read = async (id: string) => (await client.gql(READ, { id })).json;

describe("bulkOperationRunQuery validators [captured: run-query-validators, user-error-codes, storage-byte-limit]", () => {
  const cases: [string, string, string[]][] = [
    [
      "nodes instead of edges",
      "{ products { nodes { id title } } }",
      [
        "All connection fields in a bulk query must select their contents using 'edges' > 'node', e.g: 'products { edges { node {'. Selecting via 'nodes' is not supported. Invalid connection fields: 'products'.",
      ],
    ],
    [
      "a top-level node",
      '{ node(id: "gid://shopify/Product/0") { id } }',
      [
        "Bulk queries cannot contain a top level `node` field.",
        "Bulk queries must contain at least one connection.",
      ],
    ],
    [
      "depth three",
      "{ collections { edges { node { id products { edges { node { id variants { edges { node { id metafields { edges { node { id } } } } } } } } } } } } }",
      ["Bulk queries cannot contain connections with a nesting depth greater than 2."],
    ],
    [
      "six connections",
      "{ products { edges { node { id variants { edges { node { id } } } metafields { edges { node { id } } } collections { edges { node { id } } } media { edges { node { id } } } sellingPlanGroups { edges { node { id } } } } } } }",
      ["Bulk queries cannot contain more than 5 connections."],
    ],
    [
      "a nested connection under a node without id",
      "{ products { edges { node { title variants { edges { node { id } } } } } } }",
      [
        "The parent 'node' field for a nested connection must select the 'id' field without an alias and must be of 'ID' return type. Connection fields without 'id': products.",
      ],
    ],
    [
      "a mutation",
      'mutation { productCreate(input: { title: "Bulk validator invalid operation type" }) { product { id } } }',
      ["Invalid operation type. Only `query` operations are supported."],
    ],
    [
      "a connection within a list",
      "{ orders { edges { node { id fulfillments { events { edges { node { id } } } } } } } }",
      ["Queries that contain a connection field within a list field are not currently supported."],
    ],
    ["no connection", "{ shop { id } }", ["Bulk queries must contain at least one connection."]],
    ["an empty query", "", ["Invalid bulk query: syntax error, unexpected end of file"]],
    [
      "a query of 65,536 bytes",
      `#${"a".repeat(65_535)}`,
      ["Query is too large (65536 bytes; maximum is 65535 bytes)"],
    ],
  ];
  it.each(cases)("%s: userErrors on ['query'], code INVALID, 10 points", async (_name, query, messages) => {
    const { json } = await run(query);
    expect(json.data.bulkOperationRunQuery).toEqual({
      bulkOperation: null,
      userErrors: messages.map((message) => ({ field: ["query"], message, code: "INVALID" })),
    });
    expect(json.extensions.cost).toMatchObject({ requestedQueryCost: 10, actualQueryCost: 10 });
  });

  it("accepts any connection root of the schema (orders, draftOrders) [captured: schema-roots]", () => {
    const schema = emulator.engine.schema;
    expect(analyzeBulkQuery(schema, "{ orders { edges { node { id name } } } }").errors).toEqual([]);
    expect(
      analyzeBulkQuery(schema, "{ draftOrders { edges { node { id warnings { message } } } } }").errors,
    ).toEqual([]);
  });

  it("refuses a valid query over data the emulator does not hold with NOT_EMULATED, never an empty file", async () => {
    const { json } = await run("{ products { edges { node { id } } } }");
    expect(json.data.bulkOperationRunQuery).toBeNull();
    expect(json.errors[0].extensions.code).toBe("NOT_EMULATED");
  });
});

describe("an operation's life [captured: status-catalog-cancel, cancel-preserves-fields, sort-key]", () => {
  it("is CREATED with counts as strings, RUNNING, then COMPLETED with its file, costing 10 to start and 1 per read", async () => {
    const { json } = await run(CUSTOMERS);
    const op = json.data.bulkOperationRunQuery.bulkOperation;
    expect(json.extensions.cost).toMatchObject({ requestedQueryCost: 10, actualQueryCost: 10 });
    expect(op).toMatchObject({
      status: "CREATED",
      type: "QUERY",
      errorCode: null,
      completedAt: null,
      objectCount: "0",
      rootObjectCount: "0",
      fileSize: null,
      url: null,
      partialDataUrl: null,
      query: CUSTOMERS,
    });
    expect(op.id).toMatch(/^gid:\/\/shopify\/BulkOperation\/\d+$/);
    expect(op.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    emulator.clock.advance(emulator.bulk.timing.startMs);
    const running = await read(op.id);
    expect(running.data.bulkOperation.status).toBe("RUNNING");
    expect(running.extensions.cost).toMatchObject({ requestedQueryCost: 1, actualQueryCost: 1 });

    emulator.clock.advance(60_000);
    const done = (await read(op.id)).data.bulkOperation;
    const disabled = emulator.store.getShop(SHOP)!.customers.filter((c) => c.state === "DISABLED");
    expect(done).toMatchObject({
      status: "COMPLETED",
      objectCount: String(disabled.length),
      rootObjectCount: String(disabled.length),
      partialDataUrl: null,
    });
    expect(typeof done.fileSize).toBe("string");
    expect(done.completedAt).not.toBeNull();

    // The file: one object per line, in id order, newline-terminated, `/` escaped like Shopify's files.
    const response = await fetch(done.url);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/jsonl");
    const text = await response.text();
    expect(Buffer.byteLength(text)).toBe(Number(done.fileSize));
    expect(text.endsWith("\n")).toBe(true);
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toMatch(
      /^\{"id":"gid:\\\/\\\/shopify\\\/Customer\\\/\d+","state":"DISABLED","defaultEmailAddress":/,
    );
    expect(lines.map((line) => JSON.parse(line).id)).toEqual(
      disabled.map((c) => `gid://shopify/Customer/${c.id}`),
    );

    // The signed URL lives 7 days after completion [captured: Expires = completedAt + 168 h].
    const expires = Number(new URL(done.url).searchParams.get("Expires"));
    expect(expires * 1000 - Date.parse(done.completedAt)).toBe(7 * 24 * 3_600_000);
    const ranged = await fetch(done.url, {
      headers: { Range: `bytes=${Buffer.byteLength(lines[0]!) + 1}-` },
    });
    expect(ranged.status).toBe(206);
    expect((await ranged.text()).split("\n")[0]).toBe(lines[1]);
  });

  it("expires: the URL stops working after its lifetime and the status becomes EXPIRED", async () => {
    const { json } = await run(CUSTOMERS);
    const id = json.data.bulkOperationRunQuery.bulkOperation.id;
    emulator.clock.advance(60_000);
    const url = (await read(id)).data.bulkOperation.url as string;
    expect((await fetch(url)).status).toBe(200);
    emulator.clock.advance(7 * 24 * 3_600_000);
    const expired = await fetch(url);
    expect(expired.status).toBe(400);
    expect(await expired.text()).toContain("<Code>ExpiredToken</Code>");
    const token = (await exchangeToken(emulator, SHOP)).json.access_token as string;
    client = {
      ...client,
      token,
      gql: (query, variables) =>
        post(
          emulator,
          "/admin/api/2026-10/graphql.json",
          { query, variables },
          { "X-Shopify-Access-Token": token, "X-Forwarded-Host": SHOP },
        ),
    };
    expect((await read(id)).data.bulkOperation).toMatchObject({ status: "EXPIRED", url: null });
    const forged = new URL(url);
    forged.searchParams.set("Expires", String(Number(forged.searchParams.get("Expires")) + 10 ** 6));
    expect((await fetch(forged)).status).toBe(403);
  });

  it("cancel: CANCELING keeps the fields, then CANCELED with completedAt and url null; a completed one cannot be cancelled", async () => {
    const { json } = await run(CUSTOMERS);
    const id = json.data.bulkOperationRunQuery.bulkOperation.id;
    const cancel = await client.gql(CANCEL, { id });
    expect(cancel.json.data.bulkOperationCancel).toEqual({
      bulkOperation: { id, status: "CANCELING", objectCount: "0", completedAt: null, url: null },
      userErrors: [],
    });
    expect(cancel.json.extensions.cost).toMatchObject({ requestedQueryCost: 10, actualQueryCost: 10 });
    emulator.clock.advance(emulator.bulk.timing.cancelMs);
    expect((await read(id)).data.bulkOperation).toMatchObject({
      status: "CANCELED",
      completedAt: null,
      url: null,
    });

    const again = await client.gql(CANCEL, { id: "gid://shopify/BulkOperation/0" });
    expect(again.json.data.bulkOperationCancel).toEqual({
      bulkOperation: null,
      userErrors: [{ field: ["id"], message: "Bulk operation does not exist" }],
    });
    const finished = (await run(CUSTOMERS)).json.data.bulkOperationRunQuery.bulkOperation.id;
    emulator.clock.advance(60_000);
    const late = await client.gql(CANCEL, { id: finished });
    expect(late.json.data.bulkOperationCancel.bulkOperation.status).toBe("COMPLETED");
    expect(late.json.data.bulkOperationCancel.userErrors).toEqual([
      { field: null, message: "A bulk operation cannot be canceled when it is completed" },
    ]);
  });

  it("reads: an unknown id is null (1 point); currentBulkOperation is the latest whatever its status", async () => {
    const unknown = await read("gid://shopify/BulkOperation/0");
    expect(unknown.data.bulkOperation).toBeNull();
    expect(unknown.extensions.cost.actualQueryCost).toBe(1);
    const id = (await run(CUSTOMERS)).json.data.bulkOperationRunQuery.bulkOperation.id;
    emulator.clock.advance(60_000);
    const current = await client.gql(CURRENT);
    expect(current.json.data.currentBulkOperation).toEqual({ id, status: "COMPLETED" });
  });
});

describe("the concurrency limit [captured: run-query-concurrency-limit 2026-04, operation-in-progress 2025-01]", () => {
  it("2026-01 and later: five at a time, the sixth names the five running", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { json } = await run(CUSTOMERS, "2026-04");
      ids.push(json.data.bulkOperationRunQuery.bulkOperation.id);
    }
    const { json } = await run(CUSTOMERS, "2026-04");
    expect(json.data.bulkOperationRunQuery).toEqual({
      bulkOperation: null,
      userErrors: [
        {
          field: null,
          message: `A bulk query operation for this app and shop is already in progress: ${ids.join(", ")}.`,
          code: "OPERATION_IN_PROGRESS",
        },
      ],
    });
    expect(json.extensions.cost.actualQueryCost).toBe(10);
  });

  it("before 2026-01: one at a time", async () => {
    const first = (await run(CUSTOMERS, "2025-01")).json.data.bulkOperationRunQuery.bulkOperation.id;
    const { json } = await run(CUSTOMERS, "2025-01");
    expect(json.data.bulkOperationRunQuery.userErrors).toEqual([
      {
        field: null,
        message: `A bulk query operation for this app and shop is already in progress: ${first}.`,
        code: "OPERATION_IN_PROGRESS",
      },
    ]);
  });

  it("a finished operation frees its slot", async () => {
    for (let i = 0; i < 5; i++) await run(CUSTOMERS);
    emulator.clock.advance(60_000);
    expect((await run(CUSTOMERS)).json.data.bulkOperationRunQuery.userErrors).toEqual([]);
  });
});

describe("reads spend nothing from the bucket", () => {
  it("an operation over 300 customers costs its 10 points, whatever the number of objects", async () => {
    const before = emulator.store.getShop(SHOP)!.stats.pointsSpent;
    const id = (await run("{ customers { edges { node { id state } } } }")).json.data.bulkOperationRunQuery
      .bulkOperation.id;
    emulator.clock.advance(60_000);
    const done = (await read(id)).data.bulkOperation;
    expect(done.objectCount).toBe("300");
    expect(emulator.store.getShop(SHOP)!.stats.pointsSpent - before).toBe(10 + 1);
  });
});

describe("the timing model", () => {
  it("takes startMs + objects / objectsPerSecond + finishMs on the emulator clock", async () => {
    const { startMs, finishMs, objectsPerSecond } = emulator.bulk.timing;
    const id = (await run("{ customers { edges { node { id } } } }")).json.data.bulkOperationRunQuery
      .bulkOperation.id;
    const duration = startMs + Math.ceil((300 / objectsPerSecond) * 1000) + finishMs;
    emulator.clock.advance(duration - 1);
    expect((await read(id)).data.bulkOperation.status).toBe("RUNNING");
    emulator.clock.advance(1);
    expect((await read(id)).data.bulkOperation.status).toBe("COMPLETED");
  });
});

describe("the bulk_operations/finish webhook [docs: its payload]", () => {
  it("is sent to the subscribed app when an operation completes, fails or is cancelled", async () => {
    received.length = 0;
    const completed = (await run(CUSTOMERS)).json.data.bulkOperationRunQuery.bulkOperation;
    emulator.clock.advance(60_000);
    emulator.bulk.tick();
    const cancelled = (await run(CUSTOMERS)).json.data.bulkOperationRunQuery.bulkOperation;
    await client.gql(CANCEL, { id: cancelled.id });
    emulator.clock.advance(emulator.bulk.timing.cancelMs);
    const failing = (await run(CUSTOMERS)).json.data.bulkOperationRunQuery.bulkOperation;
    const failed = await control(emulator, "POST", "bulk-operations/fail", {
      shop: SHOP,
      id: failing.id,
      errorCode: "TIMEOUT",
    });
    expect(failed.status).toBe(200);
    emulator.bulk.tick();
    await emulator.settleWebhooks();
    const byId = new Map(received.map((r) => [r.body.admin_graphql_api_id, r]));
    expect(byId.get(completed.id)).toEqual({
      topic: "bulk_operations/finish",
      body: {
        admin_graphql_api_id: completed.id,
        completed_at: expect.stringMatching(/Z$/),
        created_at: completed.createdAt,
        error_code: null,
        status: "completed",
        type: "query",
      },
    });
    expect(byId.get(cancelled.id)?.body).toMatchObject({ status: "canceled", completed_at: null });
    expect(byId.get(failing.id)?.body).toMatchObject({ status: "failed", error_code: "timeout" });
    expect((await read(failing.id)).data.bulkOperation).toMatchObject({
      status: "FAILED",
      errorCode: "TIMEOUT",
    });
  });
});

describe("the file's encoding [captured: byte lengths of three result files, root-count body]", () => {
  it("escapes / and & as Shopify's files do, and nested rows carry __parentId last", () => {
    expect(encodeLine({ id: "gid://shopify/Product/1", title: "Cleaner & Lubricant" })).toBe(
      '{"id":"gid:\\/\\/shopify\\/Product\\/1","title":"Cleaner \\u0026 Lubricant"}',
    );
  });
});
