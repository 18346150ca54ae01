import { z } from "zod";
import { EMAIL_LIMITS, MAX_SELECTED_CUSTOMERS } from "~/constants/invites";

// The one schema for a campaign request (POST /api/campaigns and the app's own form), checked before
// anything is recorded: Shopify would otherwise refuse a bad address for every recipient, one by one.

export const CUSTOMER_GID = /^gid:\/\/shopify\/Customer\/[1-9]\d*$/;

/** Shopify's ids are 64-bit: a bigger number is refused by Shopify for the whole request it is in. */
const MAX_SHOPIFY_ID = 9_223_372_036_854_775_807n;

export const customerIdSchema = z
  .string()
  .regex(CUSTOMER_GID, "must be a customer id such as gid://shopify/Customer/123")
  .refine((gid) => {
    if (!CUSTOMER_GID.test(gid)) return true; // the regex has said so already
    const digits = gid.slice(gid.lastIndexOf("/") + 1);
    return digits.length <= 19 && BigInt(digits) <= MAX_SHOPIFY_ID;
  }, "must be a customer id such as gid://shopify/Customer/123");

export const emailOptionsSchema = z
  .object({
    subject: z.string().trim().min(1).max(EMAIL_LIMITS.subjectMax).optional(),
    customMessage: z.string().trim().min(1).max(EMAIL_LIMITS.customMessageMax).optional(),
    from: z.email("must be an email address").optional(),
    bcc: z.array(z.email("must be an email address")).max(EMAIL_LIMITS.bccMax).optional(),
  })
  .strict();
export type EmailOptions = z.infer<typeof emailOptionsSchema>;

export const campaignInputSchema = z
  .object({
    customerIds: z
      .array(customerIdSchema)
      .min(1, "select at least one customer")
      .max(
        MAX_SELECTED_CUSTOMERS,
        `at most ${MAX_SELECTED_CUSTOMERS} customers per campaign; use a search query for more`,
      )
      .optional(),
    /** A Shopify customer search (the admin's search syntax), e.g. `state:disabled tag:wholesale`. */
    query: z.string().trim().min(1).max(1_000).optional(),
    email: emailOptionsSchema.optional(),
    includeDeclined: z.boolean().default(false),
    idempotencyKey: z.string().trim().min(1).max(200),
  })
  .strict()
  .refine((input) => (input.customerIds === undefined) !== (input.query === undefined), {
    message: "give either customerIds or query",
    path: ["customerIds"],
  });
export type CampaignInput = z.infer<typeof campaignInputSchema>;

export const previewInputSchema = z
  .object({
    customerIds: z.array(customerIdSchema).min(1).max(250, "preview at most 250 customers at a time"),
    includeDeclined: z.boolean().default(false),
  })
  .strict();

export type FieldErrors = Record<string, string>;

/** A zod error as the field map routes answer with 400 (`customerIds.3`, `email.from`, ...). */
export function fieldErrorsFrom(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.join(".") : "form";
    errors[key] ??= issue.message;
  }
  return errors;
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
