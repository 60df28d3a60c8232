-- AlterTable
ALTER TABLE "LoadRun" ADD COLUMN     "sweep" JSONB,
ADD COLUMN     "sweepIndex" INTEGER,
ADD COLUMN     "sweepOfId" TEXT;

-- CreateIndex
CREATE INDEX "LoadRun_sweepOfId_idx" ON "LoadRun"("sweepOfId");

-- AddForeignKey
ALTER TABLE "LoadRun" ADD CONSTRAINT "LoadRun_sweepOfId_fkey" FOREIGN KEY ("sweepOfId") REFERENCES "LoadRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

