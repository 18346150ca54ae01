-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" TIMESTAMP(3),
    "accessToken" TEXT NOT NULL,
    "userId" BIGINT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "accountOwner" BOOLEAN,
    "locale" TEXT,
    "collaborator" BOOLEAN,
    "emailVerified" BOOLEAN,
    "refreshToken" TEXT,
    "refreshTokenExpires" TIMESTAMP(3),

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Campaign" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'invite',
    "source" TEXT NOT NULL,
    "query" TEXT,
    "origin" TEXT NOT NULL DEFAULT 'campaign',
    "emailSubject" TEXT,
    "emailCustomMessage" TEXT,
    "emailFrom" TEXT,
    "emailBcc" TEXT,
    "includeDeclined" BOOLEAN NOT NULL DEFAULT false,
    "requestedBy" TEXT,
    "idempotencyKey" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "failureCode" TEXT,
    "failureParams" TEXT,
    "total" INTEGER NOT NULL DEFAULT 0,
    "queuedCount" INTEGER NOT NULL DEFAULT 0,
    "sendingCount" INTEGER NOT NULL DEFAULT 0,
    "sentCount" INTEGER NOT NULL DEFAULT 0,
    "skippedCount" INTEGER NOT NULL DEFAULT 0,
    "failedCount" INTEGER NOT NULL DEFAULT 0,
    "targetCursor" TEXT,
    "targetsResolved" BOOLEAN NOT NULL DEFAULT false,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Campaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Recipient" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "checkedAt" TIMESTAMP(3),
    "stateBefore" TEXT,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "reasonCode" TEXT,
    "reasonParams" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "sendingAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Recipient_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ActivationLink" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "issuedAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "issuedBy" TEXT,
    "fingerprint" TEXT NOT NULL,
    "replacedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ActivationLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ShopPacer" (
    "shop" TEXT NOT NULL,
    "owner" TEXT,
    "leaseExpiresAt" TIMESTAMP(3),
    "maximumAvailable" DOUBLE PRECISION,
    "currentlyAvailable" DOUBLE PRECISION,
    "restoreRate" DOUBLE PRECISION,
    "observedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ShopPacer_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "ShopSettings" (
    "shop" TEXT NOT NULL,
    "reinviteWindowHours" INTEGER NOT NULL DEFAULT 24,
    "defaultSubject" TEXT,
    "defaultCustomMessage" TEXT,
    "campaignCap" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ShopSettings_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "ShopInstallation" (
    "shop" TEXT NOT NULL,
    "installedAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ShopInstallation_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "WebhookEvent" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WebhookEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Session_shop_idx" ON "Session"("shop");

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
CREATE INDEX "Recipient_campaignId_status_reasonCode_idx" ON "Recipient"("campaignId", "status", "reasonCode");

-- CreateIndex
CREATE UNIQUE INDEX "Recipient_campaignId_customerId_key" ON "Recipient"("campaignId", "customerId");

-- CreateIndex
CREATE INDEX "ActivationLink_shop_customerId_issuedAt_idx" ON "ActivationLink"("shop", "customerId", "issuedAt");

-- CreateIndex
CREATE INDEX "ActivationLink_shop_issuedAt_id_idx" ON "ActivationLink"("shop", "issuedAt", "id");

-- CreateIndex
CREATE INDEX "WebhookEvent_shop_receivedAt_idx" ON "WebhookEvent"("shop", "receivedAt");

-- CreateIndex
CREATE INDEX "WebhookEvent_receivedAt_idx" ON "WebhookEvent"("receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookEvent_shop_eventId_key" ON "WebhookEvent"("shop", "eventId");

-- AddForeignKey
ALTER TABLE "Recipient" ADD CONSTRAINT "Recipient_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

