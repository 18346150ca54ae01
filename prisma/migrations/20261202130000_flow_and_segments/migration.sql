-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN "segmentId" TEXT;

-- CreateTable
CREATE TABLE "FlowTriggerEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "recipientId" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "origin" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "tries" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "emittedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "FlowTriggerEvent_recipientId_key" ON "FlowTriggerEvent"("recipientId");

-- CreateIndex
CREATE INDEX "FlowTriggerEvent_shop_status_nextAttemptAt_idx" ON "FlowTriggerEvent"("shop", "status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "FlowTriggerEvent_status_nextAttemptAt_idx" ON "FlowTriggerEvent"("status", "nextAttemptAt");

