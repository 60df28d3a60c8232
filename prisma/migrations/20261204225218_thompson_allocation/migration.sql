-- AlterTable
ALTER TABLE "Experiment" ADD COLUMN     "banditCheckedAt" TIMESTAMP(3),
ADD COLUMN     "banditFloor" DOUBLE PRECISION NOT NULL DEFAULT 0.01,
ADD COLUMN     "banditMinPerArm" INTEGER NOT NULL DEFAULT 100;

-- CreateTable
CREATE TABLE "AllocationUpdate" (
    "id" TEXT NOT NULL,
    "experimentId" TEXT NOT NULL,
    "weights" JSONB NOT NULL,
    "pBest" JSONB,
    "units" JSONB NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AllocationUpdate_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AllocationUpdate_experimentId_createdAt_idx" ON "AllocationUpdate"("experimentId", "createdAt");

-- AddForeignKey
ALTER TABLE "AllocationUpdate" ADD CONSTRAINT "AllocationUpdate_experimentId_fkey" FOREIGN KEY ("experimentId") REFERENCES "Experiment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

