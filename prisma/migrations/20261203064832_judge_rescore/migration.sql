-- AlterTable
ALTER TABLE "JudgeRunItem" ADD COLUMN     "scores" JSONB;

