-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "channelAddress" TEXT;

-- AlterTable
ALTER TABLE "Organisation" ADD COLUMN     "retentionClosedDays" INTEGER NOT NULL DEFAULT 90,
ADD COLUMN     "retentionIdleDays" INTEGER NOT NULL DEFAULT 30;

-- CreateTable
CREATE TABLE "RetentionStat" (
    "organisationId" UUID NOT NULL,
    "day" DATE NOT NULL,
    "conversationsDeleted" INTEGER NOT NULL DEFAULT 0,
    "referralsDeleted" INTEGER NOT NULL DEFAULT 0,
    "messagesDeleted" INTEGER NOT NULL DEFAULT 0,
    "erasures" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "RetentionStat_pkey" PRIMARY KEY ("organisationId","day")
);
