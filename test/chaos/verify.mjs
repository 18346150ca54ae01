// The chaos suite's verdict (pure: tested in verify.test.ts). It compares what Shopify (the emulator's
// outbox) says went out with what the app's ledger says, after the run:
//   - duplicates: a customer with more than one invite email (no customer may get two invites from the
//     app: campaigns of one shop overlap on purpose and the re-invite window must stop the second);
//   - sent without email: a recipient the ledger calls `sent` whose customer got no email;
//   - lost: a customer with an email whom no ledger row calls `sent` or `failed UNCERTAIN` (the ledger
//     lost track of a send);
//   - nothing left `sending` or `queued`, every campaign completed or stopped with a stated reason, and
//     each campaign's counters equal to its rows.

const FINAL_WITHOUT_REASON = new Set(["completed"]);
const STOPPED_WITH_REASON = new Set(["paused", "failed"]);

function countBy(items, key) {
  const counts = new Map();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

const sample = (list, n = 10) => list.slice(0, n);

/**
 * @param {{ outbox: { shop: string, customerId: string, seq: number, kind?: string }[],
 *           ledger: { campaigns: object[], recipients: object[] } }} input
 */
export function verifyRun({ outbox, ledger }) {
  const emails = outbox.filter((e) => (e.kind ?? "invite") === "invite");
  const shops = [...new Set([...emails.map((e) => e.shop), ...ledger.campaigns.map((c) => c.shop)])].sort();
  /** @type {Record<string, any>} */
  const perShop = {};
  const totals = {
    invites: emails.length,
    duplicates: 0,
    duplicateCustomers: 0,
    sentWithoutEmail: 0,
    sentTwiceInLedger: 0,
    lost: 0,
    uncertain: 0,
    uncertainWithEmail: 0,
    uncertainWithoutEmail: 0,
    sending: 0,
    queued: 0,
  };
  const problems = { duplicates: [], sentWithoutEmail: [], sentTwiceInLedger: [], lost: [], stuck: [] };

  for (const shop of shops) {
    const shopEmails = emails.filter((e) => e.shop === shop);
    const rows = ledger.recipients.filter((r) => r.shop === shop);
    const emailsByCustomer = new Map();
    for (const email of shopEmails) {
      const list = emailsByCustomer.get(email.customerId) ?? [];
      list.push(email);
      emailsByCustomer.set(email.customerId, list);
    }
    const rowsByCustomer = new Map();
    for (const row of rows) {
      const list = rowsByCustomer.get(row.customerId) ?? [];
      list.push(row);
      rowsByCustomer.set(row.customerId, list);
    }
    const figures = {
      invites: shopEmails.length,
      customersInvited: emailsByCustomer.size,
      duplicates: 0,
      sentWithoutEmail: 0,
      sentTwiceInLedger: 0,
      lost: 0,
      uncertain: 0,
      uncertainWithEmail: 0,
      sending: 0,
      queued: 0,
      rows: rows.length,
      byStatus: Object.fromEntries(countBy(rows, (r) => r.status)),
      byReason: Object.fromEntries(
        countBy(
          rows.filter((r) => r.reasonCode),
          (r) => `${r.status}:${r.reasonCode}`,
        ),
      ),
    };
    for (const [customerId, list] of emailsByCustomer) {
      if (list.length > 1) {
        figures.duplicates += list.length - 1;
        problems.duplicates.push({
          shop,
          customerId,
          emails: list.map((e) => ({ seq: e.seq, sentAt: e.sentAt })),
          rows: (rowsByCustomer.get(customerId) ?? []).map(rowSummary),
        });
      }
      const customerRows = rowsByCustomer.get(customerId) ?? [];
      const accounted = customerRows.some(
        (r) => r.status === "sent" || (r.status === "failed" && r.reasonCode === "UNCERTAIN"),
      );
      if (!accounted) {
        figures.lost++;
        problems.lost.push({
          shop,
          customerId,
          emails: list.map((e) => ({ seq: e.seq, sentAt: e.sentAt })),
          rows: customerRows.map(rowSummary),
        });
      }
    }
    for (const [customerId, list] of rowsByCustomer) {
      const sent = list.filter((r) => r.status === "sent");
      if (sent.length > 1) {
        figures.sentTwiceInLedger++;
        problems.sentTwiceInLedger.push({ shop, customerId, rows: list.map(rowSummary) });
      }
      if (sent.length > 0 && !emailsByCustomer.has(customerId)) {
        figures.sentWithoutEmail++;
        problems.sentWithoutEmail.push({ shop, customerId, rows: list.map(rowSummary) });
      }
    }
    for (const row of rows) {
      if (row.status === "failed" && row.reasonCode === "UNCERTAIN") {
        figures.uncertain++;
        if (emailsByCustomer.has(row.customerId)) figures.uncertainWithEmail++;
      }
      if (row.status === "sending" || row.status === "queued") {
        figures[row.status]++;
        problems.stuck.push({ shop, ...rowSummary(row) });
      }
    }
    perShop[shop] = figures;
    totals.duplicates += figures.duplicates;
    totals.duplicateCustomers += problems.duplicates.filter((d) => d.shop === shop).length;
    totals.sentWithoutEmail += figures.sentWithoutEmail;
    totals.sentTwiceInLedger += figures.sentTwiceInLedger;
    totals.lost += figures.lost;
    totals.uncertain += figures.uncertain;
    totals.uncertainWithEmail += figures.uncertainWithEmail;
    totals.uncertainWithoutEmail += figures.uncertain - figures.uncertainWithEmail;
    totals.sending += figures.sending;
    totals.queued += figures.queued;
  }

  const campaigns = ledger.campaigns.map((campaign) => {
    const rows = ledger.recipients.filter((r) => r.campaignId === campaign.id);
    const counted = countBy(rows, (r) => r.status);
    const fromRows = {
      total: rows.length,
      queuedCount: counted.get("queued") ?? 0,
      sendingCount: counted.get("sending") ?? 0,
      sentCount: counted.get("sent") ?? 0,
      skippedCount: counted.get("skipped") ?? 0,
      failedCount: counted.get("failed") ?? 0,
    };
    const mismatches = Object.entries(fromRows)
      .filter(([field, value]) => campaign[field] !== value)
      .map(([field, value]) => ({ field, counter: campaign[field], rows: value }));
    const ended = FINAL_WITHOUT_REASON.has(campaign.status)
      ? "completed"
      : STOPPED_WITH_REASON.has(campaign.status) && campaign.failureCode
        ? "stopped-with-reason"
        : "not-ended";
    return {
      id: campaign.id,
      shop: campaign.shop,
      key: campaign.idempotencyKey,
      source: campaign.source,
      status: campaign.status,
      failureCode: campaign.failureCode ?? null,
      ended,
      ...fromRows,
      uncertain: rows.filter((r) => r.status === "failed" && r.reasonCode === "UNCERTAIN").length,
      counterMismatches: mismatches,
    };
  });

  return {
    totals,
    perShop,
    campaigns,
    campaignsNotEnded: campaigns.filter((c) => c.ended === "not-ended").map((c) => c.id),
    counterMismatches: campaigns
      .filter((c) => c.counterMismatches.length > 0)
      .map((c) => ({
        id: c.id,
        mismatches: c.counterMismatches,
      })),
    problems: Object.fromEntries(Object.entries(problems).map(([k, v]) => [k, sample(v)])),
  };
}

function rowSummary(row) {
  return {
    campaignId: row.campaignId,
    customerId: row.customerId,
    status: row.status,
    reasonCode: row.reasonCode ?? null,
    attempts: row.attempts,
    stateBefore: row.stateBefore ?? null,
  };
}

/**
 * One pacer per shop at a time, from the emulator's mutation log (GET /__emulator/mutation-requests):
 * two invite requests for one shop from different processes whose spans overlap mean two pacers were
 * sending for it at once. `clients` limits the check to the worker processes (an app process's single
 * invite is not a pacer). Also counts, per shop, how many processes paced it and how often it changed
 * hands. Pure: tested in verify.test.ts.
 *
 * @param {{ shop: string, client: string | null, invites: number, receivedAt: number, endedAt: number }[]} requests
 * @param {{ clients?: Set<string> }} [options]
 */
export function pacerOverlaps(requests, { clients } = {}) {
  const byShop = new Map();
  for (const request of requests) {
    if (request.invites === 0) continue;
    if (clients && !clients.has(request.client)) continue;
    const list = byShop.get(request.shop) ?? [];
    list.push(request);
    byShop.set(request.shop, list);
  }
  const overlaps = [];
  /** @type {Record<string, { requests: number, invitesRequested: number, pacers: number, handoffs: number }>} */
  const perShop = {};
  for (const [shop, list] of [...byShop].sort(([a], [b]) => a.localeCompare(b))) {
    list.sort((a, b) => a.receivedAt - b.receivedAt || a.endedAt - b.endedAt);
    // Sweep: the requests still in flight when each one arrives.
    let open = [];
    let handoffs = 0;
    let previousClient = null;
    for (const request of list) {
      open = open.filter((other) => other.endedAt > request.receivedAt);
      for (const other of open) {
        if (other.client !== request.client) overlaps.push({ shop, first: other, second: request });
      }
      open.push(request);
      if (previousClient !== null && previousClient !== request.client) handoffs++;
      previousClient = request.client;
    }
    perShop[shop] = {
      requests: list.length,
      invitesRequested: list.reduce((sum, r) => sum + r.invites, 0),
      pacers: new Set(list.map((r) => r.client)).size,
      handoffs,
    };
  }
  return { overlaps, perShop };
}
