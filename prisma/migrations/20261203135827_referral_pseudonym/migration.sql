-- AlterTable
ALTER TABLE "Referral" ADD COLUMN     "pseudonym" TEXT;

-- CreateIndex
CREATE INDEX "Referral_organisationId_pseudonym_idx" ON "Referral"("organisationId", "pseudonym");

-- Backfill: the same derivation as pseudonymFor in src/referral/build.ts ("P-" and the first six
-- hex digits, upper case, of the SHA-256 of the conversation id as lower-case hyphenated text).
UPDATE "Referral" SET "pseudonym" = 'P-' || upper(substr(encode(sha256(convert_to("conversationId"::text, 'UTF8')), 'hex'), 1, 6)) WHERE "pseudonym" IS NULL;
