-- AlterTable
ALTER TABLE "Experiment" ADD COLUMN     "correction" TEXT NOT NULL DEFAULT 'holm',
ADD COLUMN     "sequential" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "ResultsVersion" (
    "experimentId" TEXT NOT NULL,
    "version" BIGINT NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ResultsVersion_pkey" PRIMARY KEY ("experimentId")
);

-- AddForeignKey
ALTER TABLE "ResultsVersion" ADD CONSTRAINT "ResultsVersion_experimentId_fkey" FOREIGN KEY ("experimentId") REFERENCES "Experiment"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Every statement that writes interactions or judge scores bumps its experiments' version once (statement-level
-- triggers with transition tables: one row per statement, not per interaction), so a results cache can tell a repeat
-- view from new data with one indexed read.
CREATE OR REPLACE FUNCTION assay_bump_results_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'Interaction' THEN
    IF TG_OP = 'DELETE' THEN
      INSERT INTO "ResultsVersion" ("experimentId", "version", "updatedAt")
        SELECT DISTINCT o."experimentId", 1, now() FROM old_rows o
        WHERE EXISTS (SELECT 1 FROM "Experiment" e WHERE e."id" = o."experimentId")
        ON CONFLICT ("experimentId") DO UPDATE SET "version" = "ResultsVersion"."version" + 1, "updatedAt" = now();
    ELSE
      INSERT INTO "ResultsVersion" ("experimentId", "version", "updatedAt")
        SELECT DISTINCT n."experimentId", 1, now() FROM new_rows n
        ON CONFLICT ("experimentId") DO UPDATE SET "version" = "ResultsVersion"."version" + 1, "updatedAt" = now();
    END IF;
  ELSE
    IF TG_OP = 'DELETE' THEN
      INSERT INTO "ResultsVersion" ("experimentId", "version", "updatedAt")
        SELECT DISTINCT i."experimentId", 1, now() FROM old_rows o JOIN "Interaction" i ON i."id" = o."interactionId"
        ON CONFLICT ("experimentId") DO UPDATE SET "version" = "ResultsVersion"."version" + 1, "updatedAt" = now();
    ELSE
      INSERT INTO "ResultsVersion" ("experimentId", "version", "updatedAt")
        SELECT DISTINCT i."experimentId", 1, now() FROM new_rows n JOIN "Interaction" i ON i."id" = n."interactionId"
        ON CONFLICT ("experimentId") DO UPDATE SET "version" = "ResultsVersion"."version" + 1, "updatedAt" = now();
    END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Interaction_results_insert" AFTER INSERT ON "Interaction"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION assay_bump_results_version();
CREATE TRIGGER "Interaction_results_update" AFTER UPDATE ON "Interaction"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION assay_bump_results_version();
CREATE TRIGGER "Interaction_results_delete" AFTER DELETE ON "Interaction"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION assay_bump_results_version();
CREATE TRIGGER "JudgeScore_results_insert" AFTER INSERT ON "JudgeScore"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION assay_bump_results_version();
CREATE TRIGGER "JudgeScore_results_update" AFTER UPDATE ON "JudgeScore"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION assay_bump_results_version();
CREATE TRIGGER "JudgeScore_results_delete" AFTER DELETE ON "JudgeScore"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION assay_bump_results_version();
