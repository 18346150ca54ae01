-- CreateTable
CREATE TABLE "LinkExport" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "expiresAt" DATETIME NOT NULL,
    "readyAt" DATETIME,
    "clearedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "LinkExportItem" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "exportId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "reasonCode" TEXT,
    "reasonParams" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "issuingAt" DATETIME,
    "sealedUrl" TEXT,
    "linkExpiresAt" DATETIME,
    "replaced" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "LinkExportItem_exportId_fkey" FOREIGN KEY ("exportId") REFERENCES "LinkExport" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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

