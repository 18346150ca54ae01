import { z } from "zod";
import { EMAIL_LIMITS } from "~/constants/invites";
import { getShopSettings, saveShopSettings } from "~/models/ShopSettings.server";
import { containsHtml, fieldErrorsFrom, type FieldErrors } from "~/services/campaigns/campaignInput";

// The Settings page: the defaults a new campaign starts from, the re-invite window, the cap for one campaign.

export const MAX_CAMPAIGN_CAP = 1_000_000;

/** The one schema for the Settings form (blank text fields clear the value). */
export const settingsSchema = z.object({
  defaultSubject: z
    .string()
    .trim()
    .max(EMAIL_LIMITS.subjectMax)
    .refine((text) => !containsHtml(text), "validation.plainText")
    .transform((v) => v || null),
  defaultCustomMessage: z
    .string()
    .trim()
    .max(EMAIL_LIMITS.customMessageMax)
    .refine((text) => !containsHtml(text), "validation.plainText")
    .transform((v) => v || null),
  reinviteWindowHours: z.coerce
    .number({ message: "validation.hoursNumber" })
    .int("validation.hoursWhole")
    .min(1, "validation.hoursMin")
    .max(24 * 365, "validation.hoursMax"),
  campaignCap: z
    .string()
    .trim()
    .transform((v, ctx) => {
      if (v === "") return null;
      const n = Number(v.replace(/[,_\s]/g, ""));
      if (!Number.isInteger(n) || n < 1 || n > MAX_CAMPAIGN_CAP) {
        ctx.addIssue({
          code: "custom",
          message: "validation.campaignCap",
          params: { max: MAX_CAMPAIGN_CAP },
        });
        return z.NEVER;
      }
      return n;
    }),
});

export async function readSettings({ shop }: { shop: string }) {
  return getShopSettings({ shop });
}

export async function updateSettings({
  shop,
  form,
}: {
  shop: string;
  form: FormData;
}): Promise<{ success: true } | { success: false; errors: FieldErrors }> {
  const parsed = settingsSchema.safeParse({
    defaultSubject: String(form.get("defaultSubject") ?? ""),
    defaultCustomMessage: String(form.get("defaultCustomMessage") ?? ""),
    reinviteWindowHours: String(form.get("reinviteWindowHours") ?? ""),
    campaignCap: String(form.get("campaignCap") ?? ""),
  });
  if (!parsed.success) return { success: false, errors: fieldErrorsFrom(parsed.error) };
  await saveShopSettings({ shop, values: parsed.data });
  return { success: true };
}
