import { z } from "zod";
import { AUTOMATION_LIMITS } from "~/constants/invites";

// The one schema for reminders (a campaign's `reminders` in POST /api/campaigns and the new-campaign
// form, and the Automation page's reminders of automatic invites), and the Automation page's form.

export const remindersSchema = z
  .object({
    afterDays: z.coerce
      .number({ message: "validation.reminderDays" })
      .int("validation.reminderDays")
      .min(AUTOMATION_LIMITS.reminderAfterDaysMin, "validation.reminderDays")
      .max(AUTOMATION_LIMITS.reminderAfterDaysMax, "validation.reminderDays"),
    max: z.coerce
      .number({ message: "validation.reminderMax" })
      .int("validation.reminderMax")
      .min(AUTOMATION_LIMITS.reminderMaxMin, "validation.reminderMax")
      .max(AUTOMATION_LIMITS.reminderMaxMax, "validation.reminderMax"),
  })
  .strict();
export type RemindersInput = z.infer<typeof remindersSchema>;

export const DELAY_UNITS = { minutes: 1, hours: 60, days: 24 * 60 } as const;
export type DelayUnit = keyof typeof DELAY_UNITS;

/** A delay in minutes as the form shows it: the largest unit that divides it. */
export function delayInUnits(minutes: number): { value: number; unit: DelayUnit } {
  if (minutes % DELAY_UNITS.days === 0) return { value: minutes / DELAY_UNITS.days, unit: "days" };
  if (minutes % DELAY_UNITS.hours === 0) return { value: minutes / DELAY_UNITS.hours, unit: "hours" };
  return { value: minutes, unit: "minutes" };
}

/** Tags as the merchant types them: separated by commas, trimmed, without duplicates (case-insensitive). */
export function parseTags(text: string): string[] {
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const raw of text.split(",")) {
    const tag = raw.trim();
    if (tag && !seen.has(tag.toLowerCase())) {
      seen.add(tag.toLowerCase());
      tags.push(tag);
    }
  }
  return tags;
}

export const automationFormSchema = z
  .object({
    autoInviteEnabled: z.boolean(),
    delayValue: z.coerce
      .number({ message: "validation.delay" })
      .int("validation.delay")
      .min(1, "validation.delay"),
    delayUnit: z.enum(["minutes", "hours", "days"]),
    tags: z
      .string()
      .transform(parseTags)
      .pipe(
        z
          .array(z.string().max(AUTOMATION_LIMITS.tagLengthMax))
          .max(AUTOMATION_LIMITS.tagsMax, "validation.tooManyTags"),
      ),
    remindersEnabled: z.boolean(),
    reminderAfterDays: z.string(),
    reminderMax: z.string(),
  })
  .transform((form, ctx) => {
    const minutes = form.delayValue * DELAY_UNITS[form.delayUnit];
    if (minutes < AUTOMATION_LIMITS.delayMinutesMin || minutes > AUTOMATION_LIMITS.delayMinutesMax) {
      ctx.addIssue({ code: "custom", path: ["delayValue"], message: "validation.delay" });
      return z.NEVER;
    }
    let reminders: RemindersInput | null = null;
    if (form.remindersEnabled) {
      const parsed = remindersSchema.safeParse({ afterDays: form.reminderAfterDays, max: form.reminderMax });
      if (!parsed.success) {
        for (const issue of parsed.error.issues)
          ctx.addIssue({
            code: "custom",
            path: [issue.path[0] === "afterDays" ? "reminderAfterDays" : "reminderMax"],
            message: issue.message,
          });
        return z.NEVER;
      }
      reminders = parsed.data;
    }
    return {
      autoInviteEnabled: form.autoInviteEnabled,
      autoInviteDelayMinutes: minutes,
      autoInviteTags: form.tags,
      reminderAfterDays: reminders?.afterDays ?? null,
      reminderMax: reminders?.max ?? 0,
    };
  });
