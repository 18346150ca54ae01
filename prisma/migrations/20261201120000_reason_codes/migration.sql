-- Codes in the ledger, words at read time: reasons keep their code and gain their parameters as JSON;
-- the English text they were stored with goes. Existing rows keep what their words carried:
--   SHOPIFY_ERROR    "…Shopify's messages…"                  → {"shopifyMessage": "…"}
--   INVITED_RECENTLY "Was sent an invite in the last N hours." → {"hours": N}
-- Every other code's text was fixed, so the code alone renders it.
ALTER TABLE "Recipient" ADD COLUMN "reasonParams" TEXT;

UPDATE "Recipient"
SET "reasonParams" = json_object('shopifyMessage', "reasonMessage")
WHERE "reasonCode" = 'SHOPIFY_ERROR' AND "reasonMessage" IS NOT NULL AND "reasonMessage" <> '';

UPDATE "Recipient"
SET "reasonParams" = json_object(
  'hours',
  CAST(substr("reasonMessage", 32, instr("reasonMessage", ' hours') - 32) AS INTEGER)
)
WHERE "reasonCode" = 'INVITED_RECENTLY' AND "reasonMessage" LIKE 'Was sent an invite in the last % hours.';

ALTER TABLE "Recipient" DROP COLUMN "reasonMessage";

ALTER TABLE "Campaign" ADD COLUMN "failureParams" TEXT;
ALTER TABLE "Campaign" DROP COLUMN "failureMessage";
