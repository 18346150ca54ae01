import { randomUUID } from "node:crypto";
import { z } from "zod";
import { CUSTOMER_STATES, EMAIL_LIMITS } from "~/constants/invites";
import { message } from "~/i18n/message";
import { getShopSettings } from "~/models/ShopSettings.server";
import {
  containsHtml,
  fieldErrorsFrom,
  parseCampaignInput,
  type FieldErrors,
} from "~/services/campaigns/campaignInput";
import { countAudience } from "~/services/customers/audienceCount.server";
import { previewSearchSample } from "~/services/campaigns/preview.server";
import { createCampaign } from "~/services/campaigns/campaigns.server";
import { buildCustomerQuery, parseTags } from "~/services/customers/customerSearch";
import type { AdminGraphql } from "~/types/admin";

// The New campaign page: an audience from states, tags and search terms, a live count, a sample dry
// run, and the campaign recorded once per idempotency key (the key is made when the page loads and sent
// back with the form, so a resubmitted form returns the campaign the first submit created).

/** Above this many customers the page asks the merchant to confirm before recording the campaign. */
export const CONFIRM_THRESHOLD = 1_000;

function audienceFrom(get: (key: string) => string[]) {
  const states = get("states").filter((s): s is (typeof CUSTOMER_STATES)[number] =>
    (CUSTOMER_STATES as readonly string[]).includes(s),
  );
  const tags = parseTags(get("tags").join(","));
  const query = (get("query")[0] ?? "").trim();
  return { states, tags, query, search: buildCustomerQuery({ states, tags, query }) };
}

/** The page itself: defaults from settings and a fresh idempotency key. */
export async function getNewCampaignPage({ shop }: { shop: string }) {
  const settings = await getShopSettings({ shop });
  return {
    defaults: { subject: settings.defaultSubject ?? "", message: settings.defaultCustomMessage ?? "" },
    campaignCap: settings.campaignCap,
    idempotencyKey: `page:${randomUUID()}`,
    confirmThreshold: CONFIRM_THRESHOLD,
  };
}

/** The live count (and, when asked, the sample dry run) for the audience in the URL. */
export async function getAudienceEstimate({
  graphql,
  shop,
  params,
}: {
  graphql: AdminGraphql;
  shop: string;
  params: URLSearchParams;
}) {
  const audience = audienceFrom((key) => params.getAll(key));
  const includeDeclined = params.get("includeDeclined") === "on";
  const { count, searchError } = await countAudience({ graphql, audience, countUpTo: CONFIRM_THRESHOLD + 1 });
  // A search Shopify would partly ignore is shown as an error, never counted or sampled.
  const sample =
    !searchError && params.get("preview") === "1"
      ? await previewSearchSample({ graphql, shop, query: audience.search, includeDeclined })
      : null;
  return { search: audience.search, count, sample, searchError };
}

const formSchema = z.object({
  subject: z
    .string()
    .trim()
    .max(EMAIL_LIMITS.subjectMax)
    .refine((text) => !containsHtml(text), "validation.plainText"),
  message: z
    .string()
    .trim()
    .max(EMAIL_LIMITS.customMessageMax)
    .refine((text) => !containsHtml(text), "validation.plainText"),
  idempotencyKey: z.string().trim().min(1, "validation.reloadPage").max(200),
});

export type CreateFromPageResult =
  | { kind: "created"; campaignId: string; created: boolean }
  | { kind: "invalid"; errors: FieldErrors }
  /** The page's key came back with another audience or email: the first submit's campaign stands. */
  | { kind: "keyReused" }
  | { kind: "confirm"; count: number };

/**
 * Records the campaign from the form: the audience becomes a search query (an empty audience is
 * refused: "every customer" must be typed as a search). Sends above CONFIRM_THRESHOLD need `confirmed`;
 * an audience above the shop's cap is refused.
 */
export async function createCampaignFromPage({
  graphql,
  shop,
  requestedBy,
  form,
}: {
  graphql: AdminGraphql;
  shop: string;
  requestedBy: string | null;
  form: FormData;
}): Promise<CreateFromPageResult> {
  const audience = audienceFrom((key) => form.getAll(key).map(String));
  const fields = formSchema.safeParse({
    subject: String(form.get("subject") ?? ""),
    message: String(form.get("message") ?? ""),
    idempotencyKey: String(form.get("idempotencyKey") ?? ""),
  });
  if (!fields.success) return { kind: "invalid", errors: fieldErrorsFrom(fields.error) };
  if (!audience.search) {
    return { kind: "invalid", errors: { audience: message("validation.chooseAudience") } };
  }
  const email = {
    ...(fields.data.subject ? { subject: fields.data.subject } : {}),
    ...(fields.data.message ? { customMessage: fields.data.message } : {}),
  };
  const input = parseCampaignInput({
    query: audience.search,
    includeDeclined: form.get("includeDeclined") === "on",
    idempotencyKey: fields.data.idempotencyKey,
    ...(Object.keys(email).length > 0 ? { email } : {}),
    ...(form.get("remindersEnabled") === "on"
      ? {
          reminders: {
            afterDays: String(form.get("reminderAfterDays") ?? ""),
            max: String(form.get("reminderMax") ?? ""),
          },
        }
      : {}),
  });
  if (!input.success) return { kind: "invalid", errors: input.errors };

  const settings = await getShopSettings({ shop });
  const counted = await countAudience({
    graphql,
    audience,
    countUpTo: Math.max(CONFIRM_THRESHOLD, settings.campaignCap ?? 0) + 1,
  });
  if (counted.searchError) return { kind: "invalid", errors: { audience: counted.searchError } };
  const count = counted.count?.count ?? 0;
  if (count === 0) return { kind: "invalid", errors: { audience: message("validation.noMatch") } };
  if (settings.campaignCap !== null && count > settings.campaignCap) {
    return {
      kind: "invalid",
      errors: { audience: message("validation.aboveCap", { count, cap: settings.campaignCap }) },
    };
  }
  if (count > CONFIRM_THRESHOLD && form.get("confirmed") !== "yes") return { kind: "confirm", count };
  const { campaign, created, keyReused } = await createCampaign({
    shop,
    requestedBy,
    input: input.data,
    audienceCount: counted.count,
  });
  if (keyReused) return { kind: "keyReused" };
  return { kind: "created", campaignId: campaign.id, created };
}
