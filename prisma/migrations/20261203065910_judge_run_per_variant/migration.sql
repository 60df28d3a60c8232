-- AlterTable
ALTER TABLE "JudgeRun" ADD COLUMN     "perVariant" INTEGER;

ALTER TABLE "JudgeRun" ADD COLUMN     "judgmentsPerMinute" INTEGER;
