import { describe, expect, it } from "vitest";
import { inviteExpiresAt, nextFollowUpAt, reminderDueAt } from "~/models/inviteLifecycle";

const sentAt = new Date("2026-12-01T10:00:00Z");
const day = 86_400_000;

describe("an invite's follow-ups", () => {
  it("expires 30 days after it was sent", () => {
    expect(inviteExpiresAt(sentAt).toISOString()).toBe("2026-12-31T10:00:00.000Z");
  });

  it("is reminded after the campaign's interval, up to its number of reminders", () => {
    const plan = { reminderAfterDays: 3, reminderMax: 2 };
    expect(reminderDueAt(plan, { sentAt, reminderNumber: 0 })?.toISOString()).toBe(
      "2026-12-04T10:00:00.000Z",
    );
    expect(reminderDueAt(plan, { sentAt, reminderNumber: 1 })).not.toBeNull();
    expect(reminderDueAt(plan, { sentAt, reminderNumber: 2 })).toBeNull();
    expect(
      reminderDueAt({ reminderAfterDays: null, reminderMax: 3 }, { sentAt, reminderNumber: 0 }),
    ).toBeNull();
  });

  it("is looked at again for reconciliation within 12 hours, its reminder or its expiry, whichever is first", () => {
    const plan = { reminderAfterDays: 3, reminderMax: 1 };
    const invite = { sentAt, reminderNumber: 0, reminderQueued: false };
    expect(nextFollowUpAt(plan, invite, sentAt).getTime()).toBe(sentAt.getTime() + 12 * 3_600_000);
    const later = new Date(sentAt.getTime() + 2.9 * day);
    expect(nextFollowUpAt(plan, invite, later).toISOString()).toBe("2026-12-04T10:00:00.000Z");
    const nearExpiry = new Date(sentAt.getTime() + 29.9 * day);
    expect(nextFollowUpAt(plan, { ...invite, reminderQueued: true }, nearExpiry)).toEqual(
      inviteExpiresAt(sentAt),
    );
  });
});
