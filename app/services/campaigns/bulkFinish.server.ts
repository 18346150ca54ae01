import { z } from "zod";
import { findCampaignByBulkOperation, updateBulkRead } from "~/models/Campaign.server";
import { logger } from "~/utils/logger.server";

// What the bulk_operations/finish webhook changes: the status of the campaign's bulk read, so the worker
// waiting for it goes on at once (it polls `bulkOperation(id:)` only when no webhook came). The payload
// carries no URL: the worker asks for it. An operation no campaign reads (replaced by a re-run, or not
// the app's) changes nothing.

const payloadSchema = z.object({
  admin_graphql_api_id: z.string(),
  status: z.string(),
  error_code: z.string().nullish(),
});

export async function recordBulkFinish({ shop, payload }: { shop: string; payload: unknown }) {
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success) {
    logger.warn({ shop }, "bulk_operations/finish payload without an operation id or status: ignored");
    return;
  }
  const { admin_graphql_api_id: operationId, status, error_code: errorCode } = parsed.data;
  const campaign = await findCampaignByBulkOperation({ shop, operationId });
  if (!campaign) {
    logger.info({ shop, operationId }, "bulk operation finished that no campaign reads: ignored");
    return;
  }
  const updated = await updateBulkRead({
    shop,
    id: campaign.id,
    onlyOperation: operationId,
    data: {
      bulkStatus: status.toUpperCase(),
      bulkErrorCode: errorCode ? errorCode.toUpperCase() : null,
      bulkCheckedAt: new Date(),
    },
  });
  logger.info({ shop, campaignId: campaign.id, operationId, status, updated }, "bulk operation finished");
}
