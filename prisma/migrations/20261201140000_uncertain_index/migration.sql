-- CreateIndex
CREATE INDEX "Recipient_campaignId_status_reasonCode_idx" ON "Recipient"("campaignId", "status", "reasonCode");

