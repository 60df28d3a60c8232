-- AlterTable
ALTER TABLE "JudgeRun" ADD COLUMN     "perVariant" INTEGER;

