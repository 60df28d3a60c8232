-- AlterTable
ALTER TABLE "RampPlan" ADD COLUMN     "lastCheck" TEXT,
ADD COLUMN     "lastCheckedAt" TIMESTAMP(3);

