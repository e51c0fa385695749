-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "eligibilityOutcomes" JSONB,
ADD COLUMN     "intakeCompletedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Organisation" ADD COLUMN     "disabledProgrammes" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "telegramBotUsername" TEXT,
ADD COLUMN     "widgetLook" JSONB NOT NULL DEFAULT '{}';
