-- AlterTable
ALTER TABLE "JudgeRun" ADD COLUMN     "continuous" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "datasetId" TEXT,
ADD COLUMN     "pricePer1MInput" DOUBLE PRECISION,
ADD COLUMN     "pricePer1MOutput" DOUBLE PRECISION,
ADD COLUMN     "safetyFlagAtOrBelow" INTEGER,
ADD COLUMN     "watchedUntil" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "JudgeScore" ADD COLUMN     "safetyFlag" BOOLEAN;

-- AddForeignKey
ALTER TABLE "JudgeRun" ADD CONSTRAINT "JudgeRun_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE SET NULL ON UPDATE CASCADE;

