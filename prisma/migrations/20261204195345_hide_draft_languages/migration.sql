-- AlterTable
ALTER TABLE "Organisation" ADD COLUMN     "hideDraftLanguages" BOOLEAN NOT NULL DEFAULT false;
