-- The gateway caches each experiment with its variants' endpoints (lib/traffic/experiments.ts): a changed or deleted
-- endpoint (a new base URL, a replaced API key) empties that cache, as a changed variant does. Endpoints belong to no one
-- experiment, so the notice names the table.
CREATE OR REPLACE FUNCTION assay_notify_endpoint() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('assay_experiments', TG_TABLE_NAME);
  RETURN NULL;
END $$;

CREATE TRIGGER "Endpoint_notify" AFTER UPDATE OR DELETE ON "Endpoint" FOR EACH ROW EXECUTE FUNCTION assay_notify_endpoint();
