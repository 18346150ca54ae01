-- CreateTable
CREATE TABLE "LinkExport" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "requestedBy" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "query" TEXT,
    "replace" BOOLEAN NOT NULL DEFAULT false,
    "idempotencyKey" TEXT,
    "requestFingerprint" TEXT,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "total" INTEGER NOT NULL DEFAULT 0,
    "issuedCount" INTEGER NOT NULL DEFAULT 0,
    "skippedCount" INTEGER NOT NULL DEFAULT 0,
    "failedCount" INTEGER NOT NULL DEFAULT 0,
    "targetCursor" TEXT,
    "targetsResolved" BOOLEAN NOT NULL DEFAULT false,
    "truncated" BOOLEAN NOT NULL DEFAULT false,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "readyAt" TIMESTAMP(3),
    "clearedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LinkExport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LinkExportItem" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "exportId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "reasonCode" TEXT,
    "reasonParams" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "issuingAt" TIMESTAMP(3),
    "sealedUrl" TEXT,
    "linkExpiresAt" TIMESTAMP(3),
    "replaced" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LinkExportItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "LinkExport_shop_requestedBy_createdAt_idx" ON "LinkExport"("shop", "requestedBy", "createdAt");

-- CreateIndex
CREATE INDEX "LinkExport_status_expiresAt_idx" ON "LinkExport"("status", "expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "LinkExport_shop_idempotencyKey_key" ON "LinkExport"("shop", "idempotencyKey");

-- CreateIndex
CREATE INDEX "LinkExportItem_exportId_status_idx" ON "LinkExportItem"("exportId", "status");

-- CreateIndex
CREATE INDEX "LinkExportItem_shop_customerId_idx" ON "LinkExportItem"("shop", "customerId");

-- CreateIndex
CREATE UNIQUE INDEX "LinkExportItem_exportId_customerId_key" ON "LinkExportItem"("exportId", "customerId");

-- AddForeignKey
ALTER TABLE "LinkExportItem" ADD CONSTRAINT "LinkExportItem_exportId_fkey" FOREIGN KEY ("exportId") REFERENCES "LinkExport"("id") ON DELETE CASCADE ON UPDATE CASCADE;

