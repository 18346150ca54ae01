import { describe, expect, it } from "vitest";
import { pacerOverlaps, verifyRun } from "./verify.mjs";

// The chaos suite's verdict must itself be right: each kind of failure it exists to catch is caught.
const shop = "s.myshopify.com";
const campaign = (id: string, fields: Record<string, unknown> = {}) => ({
  id,
  shop,
  source: "selection",
  idempotencyKey: id,
  status: "completed",
  failureCode: null,
  total: 0,
  queuedCount: 0,
  sendingCount: 0,
  sentCount: 0,
  skippedCount: 0,
  failedCount: 0,
  ...fields,
});
const row = (campaignId: string, customerId: string, status: string, reasonCode: string | null = null) => ({
  shop,
  campaignId,
  customerId,
  status,
  reasonCode,
  attempts: 1,
  stateBefore: "DISABLED",
});
const email = (customerId: string, seq: number) => ({ shop, customerId, seq, kind: "invite", sentAt: "" });

describe("verifyRun", () => {
  it("passes a clean run: one email per sent customer, an UNCERTAIN with its email, a skip", () => {
    const verdict = verifyRun({
      outbox: [email("c1", 1), email("c2", 2)],
      ledger: {
        campaigns: [campaign("k", { total: 3, sentCount: 1, skippedCount: 1, failedCount: 1 })],
        recipients: [
          row("k", "c1", "sent"),
          row("k", "c2", "failed", "UNCERTAIN"),
          row("k", "c3", "skipped", "NO_EMAIL"),
        ],
      },
    });
    expect(verdict.totals).toMatchObject({
      invites: 2,
      duplicates: 0,
      lost: 0,
      sentWithoutEmail: 0,
      uncertain: 1,
    });
    expect(verdict.totals.uncertainWithEmail).toBe(1);
    expect(verdict.campaignsNotEnded).toEqual([]);
    expect(verdict.counterMismatches).toEqual([]);
  });

  it("counts a second email to one customer as a duplicate, across campaigns too", () => {
    const verdict = verifyRun({
      outbox: [email("c1", 1), email("c1", 2), email("c1", 3)],
      ledger: {
        campaigns: [campaign("a", { total: 1, sentCount: 1 }), campaign("b", { total: 1, skippedCount: 1 })],
        recipients: [row("a", "c1", "sent"), row("b", "c1", "skipped", "INVITED_RECENTLY")],
      },
    });
    expect(verdict.totals.duplicates).toBe(2);
    expect(verdict.problems.duplicates[0]).toMatchObject({ customerId: "c1" });
  });

  it("finds an email the ledger does not account for, and a `sent` without an email", () => {
    const verdict = verifyRun({
      outbox: [email("c1", 1), email("stranger", 2)],
      ledger: {
        campaigns: [campaign("k", { total: 2, failedCount: 1, sentCount: 1 })],
        recipients: [row("k", "c1", "failed", "RETRIES_EXHAUSTED"), row("k", "c2", "sent")],
      },
    });
    expect(verdict.totals.lost).toBe(2);
    expect(verdict.totals.sentWithoutEmail).toBe(1);
  });

  it("reports rows left sending, campaigns that did not end, and counters that disagree with rows", () => {
    const verdict = verifyRun({
      outbox: [],
      ledger: {
        campaigns: [
          campaign("run", { status: "running", total: 1, sendingCount: 0 }),
          campaign("stopped", { status: "paused", failureCode: "UNINSTALLED", total: 1, queuedCount: 1 }),
          campaign("silent", { status: "paused", total: 0 }),
        ],
        recipients: [row("run", "c1", "sending"), row("stopped", "c2", "queued")],
      },
    });
    expect(verdict.totals.sending).toBe(1);
    expect(verdict.campaignsNotEnded.sort()).toEqual(["run", "silent"]);
    expect(verdict.counterMismatches).toEqual([
      { id: "run", mismatches: [{ field: "sendingCount", counter: 0, rows: 1 }] },
    ]);
  });
});

describe("pacerOverlaps", () => {
  const request = (
    client: string,
    receivedAt: number,
    endedAt: number,
    extra: Record<string, unknown> = {},
  ) => ({
    shop,
    client,
    invites: 10,
    receivedAt,
    endedAt,
    ...extra,
  });

  it("accepts one process after another, and one process's own requests in parallel", () => {
    const { overlaps, perShop } = pacerOverlaps([
      request("1", 0, 100),
      request("1", 50, 150),
      request("2", 150, 300),
      request("1", 400, 500),
    ]);
    expect(overlaps).toEqual([]);
    expect(perShop[shop]).toEqual({ requests: 4, invitesRequested: 40, pacers: 2, handoffs: 2 });
  });

  it("catches two processes in flight for one shop at once, in either order of arrival", () => {
    const { overlaps } = pacerOverlaps([request("1", 0, 100), request("2", 99, 200), request("3", 10, 20)]);
    expect(overlaps.map((o) => [o.first.client, o.second.client])).toEqual([
      ["1", "3"],
      ["1", "2"],
    ]);
  });

  it("ignores other shops, requests without invites and processes that are not pacers", () => {
    const { overlaps } = pacerOverlaps(
      [
        request("1", 0, 100),
        request("2", 10, 20, { shop: "other.myshopify.com" }),
        request("3", 10, 20, { invites: 0 }),
        request("app", 10, 20),
      ],
      { clients: new Set(["1", "2", "3"]) },
    );
    expect(overlaps).toEqual([]);
  });
});
