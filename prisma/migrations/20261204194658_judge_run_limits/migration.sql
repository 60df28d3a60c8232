-- AlterTable
ALTER TABLE "JudgeRun" ADD COLUMN     "maxInFlight" INTEGER,
ADD COLUMN     "timeoutSeconds" INTEGER NOT NULL DEFAULT 60;

