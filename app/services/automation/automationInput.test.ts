import { describe, expect, it } from "vitest";
import {
  automationFormSchema,
  delayInUnits,
  parseTags,
  remindersSchema,
} from "~/services/automation/automationInput";

const form = {
  autoInviteEnabled: true,
  delayValue: "2",
  delayUnit: "hours",
  tags: " wholesale, B2B ,Wholesale,,",
  remindersEnabled: true,
  reminderAfterDays: "7",
  reminderMax: "2",
};

describe("the Automation page's settings", () => {
  it("reads a delay in minutes, hours or days, tags without duplicates, and reminders", () => {
    expect(automationFormSchema.parse(form)).toEqual({
      autoInviteEnabled: true,
      autoInviteDelayMinutes: 120,
      autoInviteTags: ["wholesale", "B2B"],
      reminderAfterDays: 7,
      reminderMax: 2,
    });
    expect(delayInUnits(120)).toEqual({ value: 2, unit: "hours" });
    expect(delayInUnits(2 * 24 * 60)).toEqual({ value: 2, unit: "days" });
    expect(delayInUnits(90)).toEqual({ value: 90, unit: "minutes" });
    expect(parseTags("")).toEqual([]);
  });

  it("refuses a delay beyond 30 days and a reminder at or after the 30-day expiry", () => {
    const delay = automationFormSchema.safeParse({ ...form, delayValue: "31", delayUnit: "days" });
    expect(delay.success || delay.error.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["delayValue", "validation.delay"],
    ]);
    const late = automationFormSchema.safeParse({ ...form, reminderAfterDays: "30" });
    expect(late.success || late.error.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["reminderAfterDays", "validation.reminderDays"],
    ]);
    expect(remindersSchema.safeParse({ afterDays: 3, max: 6 }).success).toBe(false);
  });

  it("ignores the reminder fields when reminders are off", () => {
    expect(
      automationFormSchema.parse({
        ...form,
        remindersEnabled: false,
        reminderAfterDays: "",
        reminderMax: "",
      }),
    ).toMatchObject({ reminderAfterDays: null, reminderMax: 0 });
  });
});
