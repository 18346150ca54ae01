import { INVITE_LIFETIME_DAYS, RECONCILE_INTERVAL_HOURS } from "~/constants/invites";

// When the worker looks at a sent invite again, until it ends (activated, declined or expired): the
// next reconciliation read, its reminder if the campaign asks for one, and its expiry, whichever comes
// first. Pure: the ledger schedules with it when an invite is sent, the follow-ups when they look again.

const DAY_MS = 86_400_000;

export interface ReminderPlan {
  /** Days after each invite (null: no reminders). */
  reminderAfterDays: number | null;
  /** Reminders at most, after the first invite. */
  reminderMax: number;
}

export function inviteExpiresAt(sentAt: Date): Date {
  return new Date(sentAt.getTime() + INVITE_LIFETIME_DAYS * DAY_MS);
}

/** When this invite's reminder is due, or null when it gets none (no reminders, or the last one sent). */
export function reminderDueAt(
  plan: ReminderPlan,
  invite: { sentAt: Date; reminderNumber: number },
): Date | null {
  if (!plan.reminderAfterDays || invite.reminderNumber >= plan.reminderMax) return null;
  const due = new Date(invite.sentAt.getTime() + plan.reminderAfterDays * DAY_MS);
  // A reminder is only useful while the previous invite is still valid (the settings keep it under 30 days).
  return due < inviteExpiresAt(invite.sentAt) ? due : null;
}

/** The next time an open invite is looked at, from `now` (its reminder counts only until it is queued). */
export function nextFollowUpAt(
  plan: ReminderPlan,
  invite: { sentAt: Date; reminderNumber: number; reminderQueued: boolean },
  now: Date,
): Date {
  const candidates = [
    now.getTime() + RECONCILE_INTERVAL_HOURS * 3_600_000,
    inviteExpiresAt(invite.sentAt).getTime(),
  ];
  const reminder = invite.reminderQueued ? null : reminderDueAt(plan, invite);
  if (reminder) candidates.push(Math.max(reminder.getTime(), now.getTime()));
  return new Date(Math.min(...candidates));
}
