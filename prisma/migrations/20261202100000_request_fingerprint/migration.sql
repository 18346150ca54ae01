-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN "requestFingerprint" TEXT;

