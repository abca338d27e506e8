-- Closed months are write-protected: the allocation rows and the run of a closed month cannot be
-- changed or deleted. Removing a whole organization sets ccost.allow_closed_delete for its
-- transaction (`set local`), the one sanctioned exception.
CREATE OR REPLACE FUNCTION ccost_protect_closed() RETURNS trigger AS $$
BEGIN
  IF coalesce(current_setting('ccost.allow_closed_delete', true), '') = 'on' THEN
    RETURN OLD;
  END IF;
  IF EXISTS (SELECT 1 FROM period_closes c WHERE c.run_id = OLD.run_id) THEN
    RAISE EXCEPTION 'allocation run % belongs to a closed month and cannot be changed; use ccost restate', OLD.run_id
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN OLD;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER allocations_protect_closed
  BEFORE UPDATE OR DELETE ON allocations
  FOR EACH ROW EXECUTE FUNCTION ccost_protect_closed();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION ccost_protect_closed_run() RETURNS trigger AS $$
BEGIN
  IF coalesce(current_setting('ccost.allow_closed_delete', true), '') = 'on' THEN
    RETURN coalesce(NEW, OLD);
  END IF;
  IF EXISTS (SELECT 1 FROM period_closes c WHERE c.run_id = OLD.id) THEN
    IF TG_OP = 'DELETE' OR NEW.total IS DISTINCT FROM OLD.total OR NEW.input_fingerprint IS DISTINCT FROM OLD.input_fingerprint
       OR NEW.rule_set_hash IS DISTINCT FROM OLD.rule_set_hash OR NEW.row_count IS DISTINCT FROM OLD.row_count THEN
      RAISE EXCEPTION 'allocation run % belongs to a closed month and cannot be changed; use ccost restate', OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
    END IF;
  END IF;
  RETURN coalesce(NEW, OLD);
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER allocation_runs_protect_closed
  BEFORE UPDATE OR DELETE ON allocation_runs
  FOR EACH ROW EXECUTE FUNCTION ccost_protect_closed_run();
