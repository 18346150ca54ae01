-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "activatedCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "declinedCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "dueAt" TIMESTAMP(3),
ADD COLUMN     "expiredCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "parentCampaignId" TEXT,
ADD COLUMN     "reminderAfterDays" INTEGER,
ADD COLUMN     "reminderMax" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Recipient" ADD COLUMN     "followUpAt" TIMESTAMP(3),
ADD COLUMN     "outcome" TEXT,
ADD COLUMN     "outcomeAt" TIMESTAMP(3),
ADD COLUMN     "outcomeReason" TEXT,
ADD COLUMN     "reminderNumber" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "reminderQueuedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "ShopPacer" ADD COLUMN     "followUpAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "AutomationSettings" (
    "shop" TEXT NOT NULL,
    "autoInviteEnabled" BOOLEAN NOT NULL DEFAULT false,
    "autoInviteDelayMinutes" INTEGER NOT NULL DEFAULT 60,
    "autoInviteTags" TEXT,
    "reminderAfterDays" INTEGER,
    "reminderMax" INTEGER NOT NULL DEFAULT 0,
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AutomationSettings_pkey" PRIMARY KEY ("shop")
);

-- CreateIndex
CREATE INDEX "Campaign_status_dueAt_idx" ON "Campaign"("status", "dueAt");

-- CreateIndex
CREATE INDEX "Campaign_shop_origin_status_idx" ON "Campaign"("shop", "origin", "status");

-- CreateIndex
CREATE INDEX "Campaign_parentCampaignId_idx" ON "Campaign"("parentCampaignId");

-- CreateIndex
CREATE INDEX "Recipient_shop_followUpAt_idx" ON "Recipient"("shop", "followUpAt");

-- CreateIndex
CREATE INDEX "Recipient_shop_outcome_outcomeAt_idx" ON "Recipient"("shop", "outcome", "outcomeAt");

-- CreateIndex
CREATE INDEX "ShopPacer_followUpAt_idx" ON "ShopPacer"("followUpAt");

