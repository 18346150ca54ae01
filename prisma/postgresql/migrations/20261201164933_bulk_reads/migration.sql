-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "audienceCount" INTEGER,
ADD COLUMN     "bulkCheckedAt" TIMESTAMP(3),
ADD COLUMN     "bulkErrorCode" TEXT,
ADD COLUMN     "bulkLine" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "bulkOffset" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "bulkOperationId" TEXT,
ADD COLUMN     "bulkRuns" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "bulkStatus" TEXT,
ADD COLUMN     "readMethod" TEXT NOT NULL DEFAULT 'pages';

-- CreateIndex
CREATE INDEX "Campaign_shop_bulkOperationId_idx" ON "Campaign"("shop", "bulkOperationId");

