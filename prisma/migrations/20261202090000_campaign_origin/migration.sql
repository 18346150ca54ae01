-- Where a campaign's invites come from (CAMPAIGN_ORIGINS). Single invites so far were campaigns of one
-- customer recorded with an idempotency key starting "single:".
ALTER TABLE "Campaign" ADD COLUMN "origin" TEXT NOT NULL DEFAULT 'campaign';
UPDATE "Campaign" SET "origin" = 'single' WHERE "idempotencyKey" LIKE 'single:%';
