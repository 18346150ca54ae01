-- AlterTable
ALTER TABLE "ShopSettings" ADD COLUMN "campaignCap" INTEGER;

-- CreateIndex
CREATE INDEX "Recipient_campaignId_id_idx" ON "Recipient"("campaignId", "id");

-- CreateIndex
CREATE INDEX "Recipient_campaignId_status_id_idx" ON "Recipient"("campaignId", "status", "id");

-- CreateIndex
CREATE INDEX "Recipient_shop_createdAt_id_idx" ON "Recipient"("shop", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Recipient_campaignId_status_finishedAt_idx" ON "Recipient"("campaignId", "status", "finishedAt");

-- CreateIndex
CREATE INDEX "Recipient_campaignId_createdAt_id_idx" ON "Recipient"("campaignId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "ActivationLink_shop_issuedAt_id_idx" ON "ActivationLink"("shop", "issuedAt", "id");

