import prisma from "~/db.server";

// A shop's automation: automatic invites of new customers and the reminders of those invites.

export interface AutomationSettingsValues {
  autoInviteEnabled: boolean;
  autoInviteDelayMinutes: number;
  /** Only customers with at least one of these tags (empty: every new customer). */
  autoInviteTags: string[];
  /** Reminders of automatic invites: days after each invite (null: none), and how many at most. */
  reminderAfterDays: number | null;
  reminderMax: number;
  paused: boolean;
}

export const DEFAULT_AUTOMATION: AutomationSettingsValues = {
  autoInviteEnabled: false,
  autoInviteDelayMinutes: 60,
  autoInviteTags: [],
  reminderAfterDays: null,
  reminderMax: 0,
  paused: false,
};

function parseTags(json: string | null): string[] {
  if (!json) return [];
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}

export async function getAutomationSettings({ shop }: { shop: string }): Promise<AutomationSettingsValues> {
  const row = await prisma.automationSettings.findUnique({ where: { shop } });
  if (!row) return { ...DEFAULT_AUTOMATION };
  return {
    autoInviteEnabled: row.autoInviteEnabled,
    autoInviteDelayMinutes: row.autoInviteDelayMinutes,
    autoInviteTags: parseTags(row.autoInviteTags),
    reminderAfterDays: row.reminderAfterDays,
    reminderMax: row.reminderMax,
    paused: row.paused,
  };
}

export async function saveAutomationSettings({
  shop,
  values,
}: {
  shop: string;
  values: Partial<AutomationSettingsValues>;
}) {
  const { autoInviteTags, ...rest } = values;
  const data = {
    ...rest,
    ...(autoInviteTags
      ? { autoInviteTags: autoInviteTags.length ? JSON.stringify(autoInviteTags) : null }
      : {}),
  };
  await prisma.automationSettings.upsert({ where: { shop }, create: { shop, ...data }, update: data });
}

export async function deleteAutomationSettings({ shop }: { shop: string }) {
  const { count } = await prisma.automationSettings.deleteMany({ where: { shop } });
  return count;
}
