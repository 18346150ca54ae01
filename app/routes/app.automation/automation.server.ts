import {
  AUTOMATION_ORIGINS,
  listScheduledAutomaticCampaigns,
  pauseAutomationCampaigns,
  resumeAutomationCampaigns,
  summarizeOriginCampaigns,
} from "~/models/Campaign.server";
import { getAutomationSettings, saveAutomationSettings } from "~/models/AutomationSettings.server";
import { findShopFollowUpAt } from "~/models/ShopPacer.server";
import { automationFormSchema, delayInUnits } from "~/services/automation/automationInput";
import { fieldErrorsFrom, type FieldErrors } from "~/services/campaigns/campaignInput";
import { logger } from "~/utils/logger.server";

// The Automation page: automatic invites of new customers (on/off, delay, tags), their reminders, what
// is due next, and the pause switch that holds automatic invites and reminders alike.

export async function readAutomation({ shop }: { shop: string }) {
  const [settings, scheduled, automatic, reminders, nextFollowUpAt] = await Promise.all([
    getAutomationSettings({ shop }),
    listScheduledAutomaticCampaigns({ shop }),
    summarizeOriginCampaigns({ shop, origin: "automatic" }),
    summarizeOriginCampaigns({ shop, origin: "reminder" }),
    findShopFollowUpAt({ shop }),
  ]);
  return {
    settings: { ...settings, delay: delayInUnits(settings.autoInviteDelayMinutes) },
    scheduled: scheduled.map((c) => ({
      id: c.id,
      dueAt: c.dueAt,
      customers: c.total,
      paused: c.status === "paused",
    })),
    automatic,
    reminders,
    nextFollowUpAt,
  };
}

export type AutomationAction =
  { ok: true; intent: string; errors: null } | { ok: false; intent: string; errors: FieldErrors };

export async function updateAutomation({
  shop,
  form,
}: {
  shop: string;
  form: FormData;
}): Promise<AutomationAction> {
  const intent = String(form.get("intent") ?? "save");
  if (intent === "pause" || intent === "resume") {
    const paused = intent === "pause";
    await saveAutomationSettings({ shop, values: { paused } });
    const moved = paused
      ? await pauseAutomationCampaigns({ shop })
      : await resumeAutomationCampaigns({ shop });
    logger.info({ shop, paused, campaigns: moved, origins: AUTOMATION_ORIGINS }, "automation pause switch");
    return { ok: true, intent, errors: null };
  }
  const parsed = automationFormSchema.safeParse({
    autoInviteEnabled: form.get("autoInviteEnabled") === "on",
    delayValue: String(form.get("delayValue") ?? ""),
    delayUnit: String(form.get("delayUnit") ?? ""),
    tags: String(form.get("tags") ?? ""),
    remindersEnabled: form.get("remindersEnabled") === "on",
    reminderAfterDays: String(form.get("reminderAfterDays") ?? ""),
    reminderMax: String(form.get("reminderMax") ?? ""),
  });
  if (!parsed.success) return { ok: false, intent, errors: fieldErrorsFrom(parsed.error) };
  await saveAutomationSettings({ shop, values: parsed.data });
  return { ok: true, intent, errors: null };
}
