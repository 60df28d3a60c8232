-- CreateTable
CREATE TABLE "JobLease" (
    "jobId" TEXT NOT NULL,
    "queue" TEXT NOT NULL,
    "workerId" TEXT NOT NULL,
    "silentLimitSeconds" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JobLease_pkey" PRIMARY KEY ("jobId")
);

-- CreateIndex
CREATE INDEX "JobLease_workerId_idx" ON "JobLease"("workerId");

