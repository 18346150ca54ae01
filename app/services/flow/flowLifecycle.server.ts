import { FLOW_TRIGGER_HANDLE, FLOW_TRIGGER_NAME } from "~/constants/flow";
import { recordTriggerUse } from "~/models/FlowTriggerUse.server";
import type { Logger } from "~/utils/logger.server";

// Flow's trigger lifecycle callback (https://shopify.dev/docs/apps/build/flow/track-lifecycle-events):
// `has_enabled_flow` says whether the shop has an enabled workflow using the trigger; the newest
// `timestamp` wins. The app emits "Account invite sent" only while it is true (README, "Shopify Flow").

export interface LifecycleAnswer {
  status: number;
  body: { ok: true; recorded: boolean; dropped: number } | { error: string };
}

/**
 * `flow_trigger_definition_id` names the trigger; the docs' example is its title, so the handle and the
 * title are both taken for the app's one trigger. Another id is answered 200 and not recorded (Flow would
 * otherwise refuse the merchant's workflow for a trigger the app does not track).
 */
function triggerHandleOf(id: unknown): string | null {
  if (typeof id !== "string") return null;
  const normal = id.trim().toLowerCase();
  if (normal === FLOW_TRIGGER_HANDLE || normal === FLOW_TRIGGER_NAME.toLowerCase())
    return FLOW_TRIGGER_HANDLE;
  return null;
}

export async function receiveTriggerLifecycle({
  shop,
  payload,
  log,
}: {
  shop: string;
  payload: Record<string, unknown>;
  log: Logger;
}): Promise<LifecycleAnswer> {
  const enabled = payload.has_enabled_flow;
  const at = typeof payload.timestamp === "string" ? new Date(payload.timestamp) : null;
  if (typeof enabled !== "boolean" || !at || Number.isNaN(at.getTime()))
    return {
      status: 400,
      body: { error: "has_enabled_flow (boolean) and timestamp (ISO 8601) are required" },
    };
  const handle = triggerHandleOf(payload.flow_trigger_definition_id);
  if (!handle) {
    log.warn(
      { shop, trigger: payload.flow_trigger_definition_id },
      "Flow lifecycle callback for an unknown trigger",
    );
    return { status: 200, body: { ok: true, recorded: false, dropped: 0 } };
  }
  const { outcome, dropped } = await recordTriggerUse({ shop, handle, enabled, changedAt: at });
  log.info({ shop, handle, enabled, outcome, dropped }, "Flow trigger lifecycle callback");
  return { status: 200, body: { ok: true, recorded: outcome === "recorded", dropped } };
}
