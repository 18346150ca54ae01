-- CreateTable
CREATE TABLE "Campaign" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'invite',
    "source" TEXT NOT NULL,
    "query" TEXT,
    "emailSubject" TEXT,
    "emailCustomMessage" TEXT,
    "emailFrom" TEXT,
    "emailBcc" TEXT,
    "includeDeclined" BOOLEAN NOT NULL DEFAULT false,
    "requestedBy" TEXT,
    "idempotencyKey" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "failureCode" TEXT,
    "failureMessage" TEXT,
    "total" INTEGER NOT NULL DEFAULT 0,
    "queuedCount" INTEGER NOT NULL DEFAULT 0,
    "sendingCount" INTEGER NOT NULL DEFAULT 0,
    "sentCount" INTEGER NOT NULL DEFAULT 0,
    "skippedCount" INTEGER NOT NULL DEFAULT 0,
    "failedCount" INTEGER NOT NULL DEFAULT 0,
    "targetCursor" TEXT,
    "targetsResolved" BOOLEAN NOT NULL DEFAULT false,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Recipient" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "checkedAt" DATETIME,
    "stateBefore" TEXT,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "reasonCode" TEXT,
    "reasonMessage" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "sendingAt" DATETIME,
    "finishedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Recipient_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ActivationLink" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "issuedAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "issuedBy" TEXT,
    "fingerprint" TEXT NOT NULL,
    "replacedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ShopPacer" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "owner" TEXT,
    "leaseExpiresAt" DATETIME,
    "maximumAvailable" REAL,
    "currentlyAvailable" REAL,
    "restoreRate" REAL,
    "observedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ShopSettings" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "reinviteWindowHours" INTEGER NOT NULL DEFAULT 24,
    "defaultSubject" TEXT,
    "defaultCustomMessage" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "Campaign_shop_createdAt_idx" ON "Campaign"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "Campaign_shop_status_idx" ON "Campaign"("shop", "status");

-- CreateIndex
CREATE INDEX "Campaign_status_idx" ON "Campaign"("status");

-- CreateIndex
CREATE UNIQUE INDEX "Campaign_shop_idempotencyKey_key" ON "Campaign"("shop", "idempotencyKey");

-- CreateIndex
CREATE INDEX "Recipient_campaignId_status_idx" ON "Recipient"("campaignId", "status");

-- CreateIndex
CREATE INDEX "Recipient_shop_customerId_idx" ON "Recipient"("shop", "customerId");

-- CreateIndex
CREATE INDEX "Recipient_shop_status_idx" ON "Recipient"("shop", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Recipient_campaignId_customerId_key" ON "Recipient"("campaignId", "customerId");

-- CreateIndex
CREATE INDEX "ActivationLink_shop_customerId_issuedAt_idx" ON "ActivationLink"("shop", "customerId", "issuedAt");

