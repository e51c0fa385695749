-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "channelData" JSONB;
