-- AlterTable
ALTER TABLE "Organisation" ADD COLUMN     "waitAmberMinutes" INTEGER NOT NULL DEFAULT 5,
ADD COLUMN     "waitRedMinutes" INTEGER NOT NULL DEFAULT 15;
