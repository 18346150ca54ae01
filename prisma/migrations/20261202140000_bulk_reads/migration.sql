-- Query campaigns above BULK_READ_THRESHOLD read their targets through a Shopify bulk query (decision 010).
ALTER TABLE "Campaign" ADD COLUMN "audienceCount" INTEGER;
ALTER TABLE "Campaign" ADD COLUMN "readMethod" TEXT NOT NULL DEFAULT 'pages';
ALTER TABLE "Campaign" ADD COLUMN "bulkOperationId" TEXT;
ALTER TABLE "Campaign" ADD COLUMN "bulkStatus" TEXT;
ALTER TABLE "Campaign" ADD COLUMN "bulkErrorCode" TEXT;
ALTER TABLE "Campaign" ADD COLUMN "bulkCheckedAt" DATETIME;
ALTER TABLE "Campaign" ADD COLUMN "bulkRuns" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Campaign" ADD COLUMN "bulkLine" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Campaign" ADD COLUMN "bulkOffset" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "Campaign_shop_bulkOperationId_idx" ON "Campaign"("shop", "bulkOperationId");
