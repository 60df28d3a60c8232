-- AlterTable
ALTER TABLE "JudgeRun" ADD COLUMN     "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "createdById" TEXT,
ADD COLUMN     "endpointId" TEXT,
ADD COLUMN     "mode" TEXT NOT NULL DEFAULT 'all',
ADD COLUMN     "model" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "sampleRate" DOUBLE PRECISION,
ADD COLUMN     "startedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "JudgeScore" ADD COLUMN     "judgeRunId" TEXT,
ADD COLUMN     "latencyMs" INTEGER,
ADD COLUMN     "model" TEXT;

-- CreateTable
CREATE TABLE "JudgeRunItem" (
    "judgeRunId" TEXT NOT NULL,
    "interactionId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "error" TEXT,
    "promptTokens" INTEGER NOT NULL DEFAULT 0,
    "completionTokens" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JudgeRunItem_pkey" PRIMARY KEY ("judgeRunId","interactionId")
);

-- CreateIndex
CREATE INDEX "JudgeRunItem_judgeRunId_status_idx" ON "JudgeRunItem"("judgeRunId", "status");

-- AddForeignKey
ALTER TABLE "JudgeRun" ADD CONSTRAINT "JudgeRun_endpointId_fkey" FOREIGN KEY ("endpointId") REFERENCES "Endpoint"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JudgeRunItem" ADD CONSTRAINT "JudgeRunItem_judgeRunId_fkey" FOREIGN KEY ("judgeRunId") REFERENCES "JudgeRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JudgeRunItem" ADD CONSTRAINT "JudgeRunItem_interactionId_fkey" FOREIGN KEY ("interactionId") REFERENCES "Interaction"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JudgeScore" ADD CONSTRAINT "JudgeScore_judgeRunId_fkey" FOREIGN KEY ("judgeRunId") REFERENCES "JudgeRun"("id") ON DELETE SET NULL ON UPDATE CASCADE;

