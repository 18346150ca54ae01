-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "segmentId" TEXT;

-- CreateTable
CREATE TABLE "FlowTriggerEvent" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "recipientId" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "origin" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "tries" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "emittedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FlowTriggerEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "FlowTriggerEvent_recipientId_key" ON "FlowTriggerEvent"("recipientId");

-- CreateIndex
CREATE INDEX "FlowTriggerEvent_shop_status_nextAttemptAt_idx" ON "FlowTriggerEvent"("shop", "status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "FlowTriggerEvent_status_nextAttemptAt_idx" ON "FlowTriggerEvent"("status", "nextAttemptAt");

