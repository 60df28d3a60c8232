-- CreateEnum
CREATE TYPE "ExposureSource" AS ENUM ('API', 'CLIENT', 'GATEWAY');

-- CreateEnum
CREATE TYPE "InteractionSource" AS ENUM ('API', 'GATEWAY', 'UPLOAD', 'DEMO');

-- DropIndex
DROP INDEX "Interaction_requestId_key";

-- AlterTable
ALTER TABLE "Experiment" ADD COLUMN     "forcedVariants" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "killSwitchOn" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "killSwitchVariant" TEXT,
ADD COLUMN     "targeting" JSONB NOT NULL DEFAULT '[]';

-- AlterTable
ALTER TABLE "Interaction" ADD COLUMN     "error" TEXT,
ADD COLUMN     "source" "InteractionSource" NOT NULL DEFAULT 'API',
ADD COLUMN     "timestamp" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateTable
CREATE TABLE "Assignment" (
    "experimentId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "variantKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Assignment_pkey" PRIMARY KEY ("experimentId","userId")
);

-- CreateTable
CREATE TABLE "Exposure" (
    "id" BIGSERIAL NOT NULL,
    "experimentId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "variantKey" TEXT NOT NULL,
    "inExperiment" BOOLEAN NOT NULL,
    "reason" TEXT NOT NULL,
    "source" "ExposureSource" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Exposure_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Exposure_experimentId_createdAt_idx" ON "Exposure"("experimentId", "createdAt");

-- CreateIndex
CREATE INDEX "Interaction_experimentId_timestamp_id_idx" ON "Interaction"("experimentId", "timestamp" DESC, "id" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "Interaction_experimentId_requestId_key" ON "Interaction"("experimentId", "requestId");

-- AddForeignKey
ALTER TABLE "Assignment" ADD CONSTRAINT "Assignment_experimentId_fkey" FOREIGN KEY ("experimentId") REFERENCES "Experiment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Exposure" ADD CONSTRAINT "Exposure_experimentId_fkey" FOREIGN KEY ("experimentId") REFERENCES "Experiment"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Change feed for the data plane's caches (lib/dataPlane/changes.ts): whoever writes (the app, the CLI, another
-- process, plain SQL), a listener hears of it when the change commits.
CREATE OR REPLACE FUNCTION assay_notify_auth() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('assay_auth', TG_TABLE_NAME);
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION assay_notify_experiment() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  experiment_id TEXT;
BEGIN
  IF TG_TABLE_NAME = 'Experiment' THEN
    experiment_id := COALESCE(NEW."id", OLD."id");
  ELSE
    experiment_id := COALESCE(NEW."experimentId", OLD."experimentId");
  END IF;
  PERFORM pg_notify('assay_experiments', experiment_id);
  RETURN NULL;
END $$;

CREATE TRIGGER "ApiKey_notify" AFTER UPDATE OR DELETE ON "ApiKey" FOR EACH ROW EXECUTE FUNCTION assay_notify_auth();
CREATE TRIGGER "User_notify" AFTER UPDATE OF "role", "disabled" OR DELETE ON "User" FOR EACH ROW EXECUTE FUNCTION assay_notify_auth();
CREATE TRIGGER "Experiment_notify" AFTER INSERT OR UPDATE OR DELETE ON "Experiment" FOR EACH ROW EXECUTE FUNCTION assay_notify_experiment();
CREATE TRIGGER "Variant_notify" AFTER INSERT OR UPDATE OR DELETE ON "Variant" FOR EACH ROW EXECUTE FUNCTION assay_notify_experiment();
