-- AlterTable
ALTER TABLE "Trace" ADD COLUMN     "datasetId" TEXT,
ADD COLUMN     "hasTimestamps" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "stats" JSONB,
DROP COLUMN "format",
ADD COLUMN     "format" TEXT NOT NULL;

-- AlterTable
ALTER TABLE "LoadRun" ADD COLUMN     "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "settings" JSONB,
ADD COLUMN     "shards" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'run',
ADD COLUMN     "startAtMs" DOUBLE PRECISION;

-- AlterTable
ALTER TABLE "LoadRecord" ADD COLUMN     "assay" JSONB;

-- DropEnum
DROP TYPE "TraceFormat";

-- CreateTable
CREATE TABLE "LoadRunShard" (
    "id" TEXT NOT NULL,
    "loadRunId" TEXT NOT NULL,
    "shard" INTEGER NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'QUEUED',
    "total" INTEGER NOT NULL DEFAULT 0,
    "sent" INTEGER NOT NULL DEFAULT 0,
    "done" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "inFlight" INTEGER NOT NULL DEFAULT 0,
    "currentRate" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "p50Ms" DOUBLE PRECISION,
    "workerId" TEXT,
    "startedAtMs" DOUBLE PRECISION,
    "endedAtMs" DOUBLE PRECISION,
    "clientCpuCores" DOUBLE PRECISION,
    "notSent" INTEGER NOT NULL DEFAULT 0,
    "aborted" BOOLEAN NOT NULL DEFAULT false,
    "error" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LoadRunShard_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "LoadRunShard_loadRunId_shard_key" ON "LoadRunShard"("loadRunId", "shard");

-- CreateIndex
CREATE UNIQUE INDEX "Trace_name_key" ON "Trace"("name");

-- CreateIndex
CREATE INDEX "LoadRecord_loadRunId_timestampSent_idx" ON "LoadRecord"("loadRunId", "timestampSent");

-- AddForeignKey
ALTER TABLE "LoadRunShard" ADD CONSTRAINT "LoadRunShard_loadRunId_fkey" FOREIGN KEY ("loadRunId") REFERENCES "LoadRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

