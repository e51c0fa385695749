-- AlterTable
ALTER TABLE "Organisation" ADD COLUMN     "emergencyContacts" JSONB NOT NULL DEFAULT '{}';
