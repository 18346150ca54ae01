import type { ActionFunctionArgs } from "@remix-run/node";
import { inviteResultJson } from "~/api/ledgerJson.server";
import { z } from "zod";
import { emailOptionsSchema } from "~/services/campaigns/campaignInput";
import { inviteCustomer } from "~/services/customers/singleInvite.server";
import { IdempotencyKeyReused } from "~/services/campaigns/requestFingerprint";
import {
  apiJson,
  idempotencyKeyReused,
  methodNotAllowed,
  readCustomerWrite,
  withShopifyErrors,
} from "~/api/jsonApi.server";

// POST /api/customers/:id/invite { email?, idempotencyKey? } → { result: { status: sent | skipped | failed, reason?, message? } }
// The same key again answers with the first result; with other email options, 422 IDEMPOTENCY_KEY_REUSED.
// One invite from the customer's page, recorded in the ledger like any other.
// Only for a staff member who may edit customers (403 otherwise, before the body is read).
const bodySchema = z
  .object({
    email: emailOptionsSchema.optional(),
    idempotencyKey: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

export const loader = methodNotAllowed;

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const write = await readCustomerWrite(request, params.id, bodySchema);
  if (!write.ok) return write.response;
  const { api, data, customerId } = write;
  return withShopifyErrors(api, async () => {
    try {
      const result = await inviteCustomer({
        graphql: api.graphql,
        shop: api.shop,
        customerId,
        email: data.email,
        requestedBy: api.staffId,
        idempotencyKey: data.idempotencyKey,
      });
      return apiJson(api, { result: inviteResultJson(result) });
    } catch (error) {
      if (error instanceof IdempotencyKeyReused) return idempotencyKeyReused(api);
      throw error;
    }
  });
};
