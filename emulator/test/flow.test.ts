// Shopify Flow in the emulator: flowTriggerReceive answers the captured requests of
// ../shared/shopify-captures/flow/ exactly (messages, order, size boundary, cost), validates properties
// against the app's trigger, and runs the app's action signed like Flow, with retries on the same
// action_run_id (emulator/README.md, "Flow").
import { createServer, type Server } from "node:http";
import { existsSync, readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flowExtensionsFrom, flowHmac, schemaErrorMessage } from "../src/flow";
import type { Emulator } from "../src/server";
import {
  API_SECRET,
  control,
  SHOP,
  shopWithClient,
  startEmulator,
  type Json,
  type ShopClient,
} from "./helpers";

// The captures live beside the repository (never in it): replayed whole when present; the tests below
// quote what they show either way.
const here = dirname(fileURLToPath(import.meta.url));
const CAPTURES = [
  resolve(here, "../../../shared/shopify-captures/flow"),
  resolve(here, "../../../../shared/shopify-captures/flow"),
].find((dir) => existsSync(dir));
const capture = (name: string): Json => JSON.parse(readFileSync(`${CAPTURES}/${name}`, "utf8"));
const errorsOf = (...problems: string[]) => ({
  userErrors: [{ field: ["body"], message: schemaErrorMessage(problems) }],
});

// A stand-in for the app's Flow route: answers what the test queues, records what it got.
const received: { body: string; hmac: string | undefined }[] = [];
let answers: { status: number; body: string; delayMs?: number }[] = [];
let app: Server;
let emulator: Emulator;
let client: ShopClient;

beforeAll(async () => {
  app = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      received.push({ body, hmac: req.headers["x-shopify-hmac-sha256"] as string | undefined });
      const next = answers.shift() ?? { status: 200, body: "{}" };
      setTimeout(() => {
        res.writeHead(next.status, { "Content-Type": "application/json" });
        res.end(next.body);
      }, next.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  emulator = await startEmulator({
    appUrl: `http://127.0.0.1:${(app.address() as AddressInfo).port}`,
    flow: flowExtensionsFrom("extensions"),
  });
  client = await shopWithClient(emulator);
});
afterAll(async () => {
  await emulator?.close();
  await new Promise((resolve) => app?.close(resolve));
});

describe("flowTriggerReceive as captured", () => {
  it("answers the body-schema gaps with the captured messages, in the captured order, at 1 point each", async () => {
    const call = (alias: string, body: unknown) =>
      `${alias}: flowTriggerReceive(body: ${JSON.stringify(JSON.stringify(body))}) { userErrors { field message } }`;
    const { json } = await client.gql(`mutation FlowTriggerReceiveBodySchemaGaps {
      ${call("missingTriggerReference", { properties: {} })}
      ${call("unknownTriggerId", { trigger_id: "abc", properties: {} })}
      ${call("unknownTriggerTitle", { trigger_title: "foo", properties: {} })}
      ${call("nonAbsoluteResourceUrl", { trigger_id: "abc", properties: {}, resources: [{ url: "not-a-url", name: "x" }] })}
      ${call("unknownRootField", { trigger_id: "abc", properties: {}, unknown_root: 1 })}
      ${call("multipleSchemaErrors", { properties: {}, resources: [{ url: "not-a-url" }], unknown_root: 1 })}
    }`);
    expect(json.data).toEqual({
      missingTriggerReference: errorsOf("Required field missing: 'trigger_id'."),
      unknownTriggerId: errorsOf("Invalid trigger_id 'abc'."),
      unknownTriggerTitle: errorsOf("Invalid trigger_title 'foo'."),
      nonAbsoluteResourceUrl: errorsOf("Type error for field 'url': not-a-url is not an absolute URL."),
      unknownRootField: errorsOf("Invalid field: 'unknown_root'."),
      // Schema problems come together, before the missing trigger reference is even looked at.
      multipleSchemaErrors: errorsOf(
        "Invalid field: 'unknown_root'.",
        "Required field missing: 'name'.",
        "Type error for field 'url': not-a-url is not an absolute URL.",
      ),
    });
    expect(json.extensions.cost).toMatchObject({ requestedQueryCost: 6, actualQueryCost: 6 });
  });

  it("counts only the properties against the 50,000-byte limit, and accepts exactly 50,000", async () => {
    const { json } = await client.gql(
      `mutation FlowTriggerReceivePropertySizeBoundary($bloatedBody: String, $oversizedBody: String, $nearLimitPayload: JSON) {
        bloatedResources: flowTriggerReceive(body: $bloatedBody) { userErrors { field message } }
        oversizedBodyProperties: flowTriggerReceive(body: $oversizedBody) { userErrors { field message } }
        nearLimitHandlePayload: flowTriggerReceive(handle: "missing-flow-trigger-handle", payload: $nearLimitPayload) { userErrors { field message } }
      }`,
      {
        // 60,104 bytes of body, but 7 bytes of properties: within the limit
        bloatedBody: JSON.stringify({
          trigger_id: "abc",
          resources: [{ url: `https://example.com/${"x".repeat(60_000)}`, name: "resource" }],
          properties: { a: 1 },
        }),
        // properties of 50,001 bytes: refused before the trigger id is checked
        oversizedBody: JSON.stringify({ trigger_id: "abc", properties: { value: "x".repeat(49_989) } }),
        // a payload of exactly 50,000 bytes: within the limit, then the unknown handle
        nearLimitPayload: { value: "x".repeat(49_988) },
      },
    );
    expect(json.data).toEqual({
      bloatedResources: errorsOf("Invalid trigger_id 'abc'."),
      oversizedBodyProperties: errorsOf("Properties size exceeds the limit of 50000 bytes."),
      nearLimitHandlePayload: errorsOf("Invalid handle 'missing-flow-trigger-handle'."),
    });
    expect(json.extensions.cost.requestedQueryCost).toBe(3);
  });

  it.skipIf(!CAPTURES)("replays the captured requests with the captured answers", async () => {
    for (const name of [
      "2026-04-flow-trigger-receive-body-schema-gaps.json",
      "2026-04-flow-trigger-receive-property-size-boundary.json",
    ]) {
      const c = capture(name);
      const { json } = await client.gql(c.query.replace(/^#graphql\n/, ""), c.variables);
      expect(json.data).toEqual(c.result.payload.data);
      expect(json.extensions.cost.requestedQueryCost).toBe(
        c.result.payload.extensions.cost.requestedQueryCost,
      );
    }
  });

  it("accepts the app's trigger with its declared properties and records the call", async () => {
    const { json } = await client.gql(
      `mutation T($payload: JSON!) { flowTriggerReceive(handle: "account-invite-sent", payload: $payload) { userErrors { field message } } }`,
      {
        payload: {
          customer_id: 42,
          "Invite source": "campaign",
          "Campaign ID": "c1",
          "Attempt number": 1,
        },
      },
    );
    expect(json.data.flowTriggerReceive.userErrors).toEqual([]);
    const { calls } = await control(emulator, "GET", `flow/triggers?shop=${SHOP}`);
    expect(calls.at(-1)).toMatchObject({ handle: "account-invite-sent", accepted: true, errors: [] });
  });

  it("refuses properties the trigger does not declare, missing ones, and wrong types", async () => {
    const { json } = await client.gql(
      `mutation T($payload: JSON!) { flowTriggerReceive(handle: "account-invite-sent", payload: $payload) { userErrors { field message } } }`,
      {
        payload: {
          customer_id: "gid://shopify/Customer/1",
          "Invite source": "x",
          "Attempt number": "1",
          link: "u",
        },
      },
    );
    expect(json.data.flowTriggerReceive.userErrors).toEqual([
      {
        field: ["body"],
        message: schemaErrorMessage([
          "Invalid field: 'link'.",
          "Type error for field 'customer_id': not a valid customer_reference.",
          "Required field missing: 'Campaign ID'.",
          "Type error for field 'Attempt number': not a valid number_decimal.",
        ]),
      },
    ]);
  });
});

describe("running the app's Flow action", () => {
  it("posts Flow's payload signed with the app secret to the action's runtime path", async () => {
    received.length = 0;
    const { run } = await control(emulator, "POST", "flow/actions/run", {
      shop: SHOP,
      properties: { customer_id: "7" },
      actionRunId: "run-1",
    });
    expect(run).toMatchObject({ status: "succeeded", handle: "send-account-invite", actionRunId: "run-1" });
    expect(new URL(run.url).pathname).toBe("/flow/send-account-invite");
    const [request] = received;
    expect(request!.hmac).toBe(flowHmac(request!.body, API_SECRET));
    expect(JSON.parse(request!.body)).toMatchObject({
      shopify_domain: SHOP,
      action_run_id: "run-1",
      handle: "send-account-invite",
      properties: { customer_id: "7" },
    });
  });

  it("resends with the same action_run_id after a 5xx, a 202 or a lost answer, and stops on another 4xx", async () => {
    received.length = 0;
    answers = [
      { status: 503, body: "busy" },
      { status: 202, body: "" },
      { status: 200, body: '{"ok":true}' },
    ];
    const retry = { baseDelayMs: 1, timeoutMs: 2_000 };
    const { run } = await control(emulator, "POST", "flow/actions/run", {
      shop: SHOP,
      properties: { customer_id: "7" },
      retry,
      loseAnswers: 1,
    });
    expect(run.status).toBe("succeeded");
    expect(run.attempts.map((a: Json) => a.status)).toEqual([null, 202, 200]);
    expect(new Set(received.map((r) => JSON.parse(r.body).action_run_id))).toEqual(
      new Set([run.actionRunId]),
    );
    expect(new Set(received.map((r) => r.body)).size).toBe(1);

    answers = [{ status: 400, body: '{"message":"no such customer"}' }];
    const failed = (
      await control(emulator, "POST", "flow/actions/run", { shop: SHOP, properties: {}, retry })
    ).run;
    expect(failed).toMatchObject({
      status: "failed",
      attempts: [{ status: 400, body: '{"message":"no such customer"}' }],
    });
  });

  it("resends after Flow's timeout", async () => {
    answers = [{ status: 200, body: "{}", delayMs: 300 }];
    const { run } = await control(emulator, "POST", "flow/actions/run", {
      shop: SHOP,
      properties: {},
      retry: { baseDelayMs: 1, timeoutMs: 100, maxAttempts: 2 },
    });
    expect(run.status).toBe("succeeded");
    expect(run.attempts[0]).toMatchObject({ status: null, error: expect.stringContaining("Timeout") });
  });
});
