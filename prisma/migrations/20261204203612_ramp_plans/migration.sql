-- CreateTable
CREATE TABLE "RampPlan" (
    "id" TEXT NOT NULL,
    "experimentId" TEXT NOT NULL,
    "steps" JSONB NOT NULL,
    "designWeights" JSONB NOT NULL,
    "currentStep" INTEGER NOT NULL DEFAULT -1,
    "state" TEXT NOT NULL DEFAULT 'PLANNED',
    "stepStartedAt" TIMESTAMP(3),
    "lastReason" TEXT,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RampPlan_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RampPlan_experimentId_key" ON "RampPlan"("experimentId");

-- AddForeignKey
ALTER TABLE "RampPlan" ADD CONSTRAINT "RampPlan_experimentId_fkey" FOREIGN KEY ("experimentId") REFERENCES "Experiment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

