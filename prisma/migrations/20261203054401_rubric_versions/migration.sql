-- AlterTable
ALTER TABLE "Rubric" ADD COLUMN     "createdById" TEXT;

-- CreateIndex
CREATE INDEX "JudgeRun_rubricId_idx" ON "JudgeRun"("rubricId");

-- CreateIndex
CREATE INDEX "JudgeScore_rubricId_idx" ON "JudgeScore"("rubricId");

-- AddForeignKey
ALTER TABLE "Rubric" ADD CONSTRAINT "Rubric_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

