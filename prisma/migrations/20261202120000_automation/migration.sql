-- Automation: automatic invites, reminders, invite outcomes (activated, declined, expired) and follow-ups.
-- Columns are added (no table rebuild), so a large ledger migrates in moments.

-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN "activatedCount" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Campaign" ADD COLUMN "declinedCount" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Campaign" ADD COLUMN "expiredCount" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Campaign" ADD COLUMN "dueAt" DATETIME;
ALTER TABLE "Campaign" ADD COLUMN "parentCampaignId" TEXT;
ALTER TABLE "Campaign" ADD COLUMN "reminderAfterDays" INTEGER;
ALTER TABLE "Campaign" ADD COLUMN "reminderMax" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Recipient" ADD COLUMN "reminderNumber" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Recipient" ADD COLUMN "outcome" TEXT;
ALTER TABLE "Recipient" ADD COLUMN "outcomeReason" TEXT;
ALTER TABLE "Recipient" ADD COLUMN "outcomeAt" DATETIME;
ALTER TABLE "Recipient" ADD COLUMN "followUpAt" DATETIME;
ALTER TABLE "Recipient" ADD COLUMN "reminderQueuedAt" DATETIME;

-- AlterTable
ALTER TABLE "ShopPacer" ADD COLUMN "followUpAt" DATETIME;

-- CreateTable
CREATE TABLE "AutomationSettings" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "autoInviteEnabled" BOOLEAN NOT NULL DEFAULT false,
    "autoInviteDelayMinutes" INTEGER NOT NULL DEFAULT 60,
    "autoInviteTags" TEXT,
    "reminderAfterDays" INTEGER,
    "reminderMax" INTEGER NOT NULL DEFAULT 0,
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "Campaign_status_dueAt_idx" ON "Campaign"("status", "dueAt");
CREATE INDEX "Campaign_shop_origin_status_idx" ON "Campaign"("shop", "origin", "status");
CREATE INDEX "Campaign_parentCampaignId_idx" ON "Campaign"("parentCampaignId");
CREATE INDEX "Recipient_shop_followUpAt_idx" ON "Recipient"("shop", "followUpAt");
CREATE INDEX "Recipient_shop_outcome_outcomeAt_idx" ON "Recipient"("shop", "outcome", "outcomeAt");
CREATE INDEX "ShopPacer_followUpAt_idx" ON "ShopPacer"("followUpAt");
