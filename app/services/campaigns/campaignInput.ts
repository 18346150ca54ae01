import { z } from "zod";
import { EMAIL_LIMITS, MAX_SELECTED_CUSTOMERS } from "~/constants/invites";
import { MAX_LINKS_PER_EXPORT } from "~/constants/linkExports";
import { message, type FieldMessages, type Message } from "~/i18n/message";
import { remindersSchema } from "~/services/automation/automationInput";

// The one schema for a campaign request (POST /api/campaigns and the app's own form), checked before
// anything is recorded: Shopify would otherwise refuse a bad address for every recipient, one by one.
// Schemas carry translation keys (`validation.*`) as their messages; fieldErrorsFrom turns zod's issues
// into messages the page renders in the merchant's language and the JSON API in English.

export const CUSTOMER_GID = /^gid:\/\/shopify\/Customer\/[1-9]\d*$/;
/** A saved customer segment, as the segment details page hands it to extensions (`data.selected`). */
export const SEGMENT_GID = /^gid:\/\/shopify\/Segment\/[1-9]\d{0,18}$/;
export const segmentIdSchema = z.string().regex(SEGMENT_GID, "validation.segmentId");

/** Shopify's ids are 64-bit: a bigger number is refused by Shopify for the whole request it is in. */
const MAX_SHOPIFY_ID = 9_223_372_036_854_775_807n;

export const customerIdSchema = z
  .string()
  .regex(CUSTOMER_GID, "validation.customerId")
  .refine((gid) => {
    if (!CUSTOMER_GID.test(gid)) return true; // the regex has said so already
    const digits = gid.slice(gid.lastIndexOf("/") + 1);
    return digits.length <= 19 && BigInt(digits) <= MAX_SHOPIFY_ID;
  }, "validation.customerId");

/**
 * HTML in an invite's text: a live store refuses the whole invite ("Error sending account invite to
 * customer.", captured with `<script>…</script>`), so the app accepts plain text only. A tag is `<`
 * followed by a letter, `/`, `!` or `?`; a lone `<` ("< 5 minutes") stays plain text.
 */
export function containsHtml(text: string): boolean {
  return /<\s*[a-zA-Z/!?]/.test(text);
}

export const emailOptionsSchema = z
  .object({
    subject: z
      .string()
      .trim()
      .min(1)
      .max(EMAIL_LIMITS.subjectMax)
      .refine((text) => !containsHtml(text), "validation.plainText")
      .optional(),
    customMessage: z
      .string()
      .trim()
      .min(1)
      .max(EMAIL_LIMITS.customMessageMax)
      .refine((text) => !containsHtml(text), "validation.plainText")
      .optional(),
    from: z.email("validation.email").optional(),
    bcc: z.array(z.email("validation.email")).max(EMAIL_LIMITS.bccMax).optional(),
  })
  .strict();
export type EmailOptions = z.infer<typeof emailOptionsSchema>;

export const campaignInputSchema = z
  .object({
    customerIds: z
      .array(customerIdSchema)
      .min(1, "validation.selectCustomers")
      .max(MAX_SELECTED_CUSTOMERS, "validation.tooManySelected")
      .optional(),
    /** A Shopify customer search (the admin's search syntax), e.g. `state:disabled tag:wholesale`. */
    query: z.string().trim().min(1).max(1_000).optional(),
    /** A saved customer segment: its members when the campaign runs (origin "segment"). */
    segmentId: segmentIdSchema.optional(),
    email: emailOptionsSchema.optional(),
    includeDeclined: z.boolean().default(false),
    /** Remind customers still INVITED after `afterDays` days, up to `max` times (each before the 30-day expiry). */
    reminders: remindersSchema.optional(),
    idempotencyKey: z.string().trim().min(1).max(200),
  })
  .strict()
  .refine(
    (input) =>
      [input.customerIds, input.query, input.segmentId].filter((value) => value !== undefined).length === 1,
    { message: "validation.idsOrQuery", path: ["customerIds"] },
  );
export type CampaignInput = z.infer<typeof campaignInputSchema>;

export const segmentPreviewInputSchema = z
  .object({ segmentId: segmentIdSchema, includeDeclined: z.boolean().default(false) })
  .strict();

export const previewInputSchema = z
  .object({
    customerIds: z.array(customerIdSchema).min(1).max(250, "validation.previewTooMany"),
    includeDeclined: z.boolean().default(false),
  })
  .strict();

export type FieldErrors = FieldMessages;

/** Values a `validation.*` key may use, from the schema's limits. */
const KEY_VALUES: Record<string, Message["values"]> = {
  "validation.tooManySelected": { max: MAX_SELECTED_CUSTOMERS },
  "validation.previewTooMany": { max: 250 },
  "validation.tooManyLinks": { max: MAX_LINKS_PER_EXPORT },
};

/**
 * A zod error as the field map routes answer with 400 (`customerIds.3`, `email.from`, ...): the schema's
 * own key where it gave one, otherwise a key for the kind of issue, with its limit.
 */
export function fieldErrorsFrom(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.join(".") : "form";
    errors[key] ??= issueMessage(issue);
  }
  return errors;
}

function issueMessage(issue: z.core.$ZodIssue): Message {
  if (/^validation\.[\w.]+$/.test(issue.message)) {
    const values = { ...KEY_VALUES[issue.message], ...(issue.code === "custom" ? issue.params : undefined) };
    return message(issue.message, Object.keys(values).length > 0 ? values : undefined);
  }
  switch (issue.code) {
    case "too_big":
      return issue.origin === "string"
        ? message("validation.tooLong", { max: Number(issue.maximum) })
        : issue.origin === "array"
          ? message("validation.tooManyItems", { max: Number(issue.maximum) })
          : message("validation.tooLarge", { max: Number(issue.maximum) });
    case "too_small":
      return issue.origin === "string" || issue.origin === "array"
        ? message("validation.required")
        : message("validation.tooSmall", { min: Number(issue.minimum) });
    case "invalid_type":
      return /received undefined/.test(issue.message)
        ? message("validation.required")
        : message("validation.wrongType");
    case "invalid_format":
      return issue.format === "email" ? message("validation.email") : message("validation.invalid");
    case "unrecognized_keys":
      return message("validation.unknownFields", { fields: issue.keys.join(", ") });
    case "invalid_value":
      return message("validation.invalidChoice", { choices: issue.values.map(String).join(", ") });
    default:
      return message("validation.invalid");
  }
}

export function parseCampaignInput(
  input: unknown,
): { success: true; data: CampaignInput } | { success: false; errors: FieldErrors } {
  const parsed = campaignInputSchema.safeParse(input);
  if (!parsed.success) return { success: false, errors: fieldErrorsFrom(parsed.error) };
  // The same customer twice is one recipient (the ledger's unique key would refuse the second).
  const data = parsed.data.customerIds
    ? { ...parsed.data, customerIds: [...new Set(parsed.data.customerIds)] }
    : parsed.data;
  return { success: true, data };
}
