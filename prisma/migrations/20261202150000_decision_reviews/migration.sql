-- AlterTable
ALTER TABLE "Experiment" ADD COLUMN     "decisionRules" JSONB,
ADD COLUMN     "shipConfig" JSONB,
ADD COLUMN     "shipVariantKey" TEXT;

-- AlterTable
ALTER TABLE "Decision" ADD COLUMN     "note" TEXT,
ADD COLUMN     "proposedVariant" TEXT,
ADD COLUMN     "results" JSONB,
ADD COLUMN     "rules" JSONB;

-- CreateIndex
CREATE INDEX "Decision_experimentId_createdAt_idx" ON "Decision"("experimentId", "createdAt");

-- CreateIndex
CREATE INDEX "Decision_status_createdAt_idx" ON "Decision"("status", "createdAt");

