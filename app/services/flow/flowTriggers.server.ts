import { FLOW_TRIGGER_BATCH, FLOW_TRIGGER_HANDLE, FLOW_TRIGGER_MAX_TRIES } from "~/constants/flow";
import {
  findDueFlowEvents,
  markFlowEventFailed,
  markFlowEventsEmitted,
  postponeFlowEvents,
  type FlowTriggerEventRow,
} from "~/models/FlowTriggerEvent.server";
import {
  flowTriggerBatchDocument,
  flowTriggerBatchVariables,
  parseFlowTriggerBatchData,
} from "~/services/flow/flowTriggerBatchDocument";
import { inviteSentPayload, payloadFits } from "~/services/flow/flowTriggerPayload";
import type { PacedRead } from "~/services/sending/targets.server";
import { requestAdmin } from "~/services/shopify/adminRequest.server";
import type { AdminGraphql } from "~/types/admin";
import type { Logger } from "~/utils/logger.server";

// Emits the Flow trigger "Account invite sent" for the invites the app sent: the outbox rows the ledger
// wrote when it marked recipients sent (FlowTriggerEvent), in aliased batches, each request paced with the
// shop's bucket like every other call of the worker, in the shop's turn (app/jobs/inviteWorker.server.ts).
//
// Choices (README, "Shopify Flow"):
// - Only for shops with an enabled workflow on the trigger: Flow's lifecycle callback
//   (routes/flow.trigger-lifecycle.tsx, models/FlowTriggerUse.server.ts) says so; until one arrives a shop
//   counts as without (no workflow can use the trigger before Flow has called the app), and the ledger
//   writes no event, so shops without Flow spend nothing of their bucket on it.
// - Never blocks invites: emission runs after the shop's campaigns in its turn, and its failures only
//   postpone events (back-off doubling from 30 s, at most FLOW_TRIGGER_MAX_TRIES tries).
// - At least once: an event whose answer was lost is emitted again, so a workflow may rarely run twice for
//   one invite. A userError (unknown handle before `shopify app deploy`, a payload Flow refuses) is final.

/** Requested cost of one flowTriggerReceive (captured: six aliases cost 6, three cost 3). */
export const FLOW_TRIGGER_COST = 1;
const RETRY_BASE_MS = 30_000;

export interface EmitResult {
  emitted: number;
  failed: number;
  postponed: number;
  requests: number;
}

export async function emitDueFlowTriggers({
  shop,
  graphql,
  paced,
  timeoutMs,
  log,
  shouldStop = () => false,
  maxBatches = 20,
}: {
  shop: string;
  graphql: () => AdminGraphql;
  paced: PacedRead;
  timeoutMs: number;
  log: Logger;
  /** A graceful stop, a lost lease or a refusal: no new request. */
  shouldStop?: () => boolean;
  /** Most requests per turn, so a backlog never holds the shop's slot for long. */
  maxBatches?: number;
}): Promise<EmitResult> {
  const result: EmitResult = { emitted: 0, failed: 0, postponed: 0, requests: 0 };
  for (let batch = 0; batch < maxBatches && !shouldStop(); batch++) {
    const due = await findDueFlowEvents({ shop, take: FLOW_TRIGGER_BATCH });
    if (due.length === 0) break;
    const sendable: { event: FlowTriggerEventRow; payload: Record<string, string | number> }[] = [];
    for (const event of due) {
      const payload = inviteSentPayload(event);
      if (payloadFits(payload)) sendable.push({ event, payload });
      else {
        // Cannot happen with ids and numbers, but an event Flow would refuse is never sent.
        await markFlowEventFailed({ shop, id: event.id, error: "payload over 50,000 bytes" });
        result.failed++;
      }
    }
    if (sendable.length === 0) continue;
    const size = sendable.length;
    result.requests++;
    const outcome = await paced(size * FLOW_TRIGGER_COST, () =>
      requestAdmin({
        send: (signal) =>
          graphql()(flowTriggerBatchDocument(size), {
            variables: flowTriggerBatchVariables(
              FLOW_TRIGGER_HANDLE,
              sendable.map((s) => s.payload),
            ),
            signal,
          }),
        parse: (data) => parseFlowTriggerBatchData(data, size),
        timeoutMs,
      }),
    );
    if (outcome.kind === "throttled") break; // nothing ran: the events stay due for the next turn
    const results = outcome.kind === "answered" ? outcome.data : undefined;
    if (!results) {
      const events = sendable.map((s) => s.event);
      const delayMs = RETRY_BASE_MS * 2 ** Math.min(8, Math.min(...events.map((e) => e.tries)));
      const gaveUp = await postponeFlowEvents({
        shop,
        events,
        delayMs,
        maxTries: FLOW_TRIGGER_MAX_TRIES,
        error: outcome.kind === "answered" ? "errors instead of data" : outcome.kind,
      });
      result.postponed += events.length - gaveUp;
      result.failed += gaveUp;
      log.warn({ outcome: outcome.kind, events: events.length, gaveUp }, "Flow trigger events postponed");
      break;
    }
    const emitted: string[] = [];
    const unanswered: FlowTriggerEventRow[] = [];
    for (const [index, { event }] of sendable.entries()) {
      const answer = results[index];
      if (!answer) unanswered.push(event);
      else if (answer.userErrors.length > 0) {
        const error = answer.userErrors.map((e) => e.message).join(" ");
        await markFlowEventFailed({ shop, id: event.id, error });
        result.failed++;
        log.warn({ campaignId: event.campaignId, error }, "Flow refused an Account invite sent event");
      } else emitted.push(event.id);
    }
    result.emitted += await markFlowEventsEmitted({ shop, ids: emitted });
    if (unanswered.length > 0) {
      const gaveUp = await postponeFlowEvents({
        shop,
        events: unanswered,
        delayMs: RETRY_BASE_MS,
        maxTries: FLOW_TRIGGER_MAX_TRIES,
        error: "no result for this event",
      });
      result.postponed += unanswered.length - gaveUp;
      result.failed += gaveUp;
    }
  }
  if (result.requests > 0) log.info({ ...result }, "Flow trigger events emitted");
  return result;
}
