CREATE TABLE "allocation_team_days" (
	"run_id" text NOT NULL,
	"bucket" date NOT NULL,
	"org_id" text NOT NULL,
	"team" text NOT NULL,
	"product" text NOT NULL,
	"environment_id" text,
	"amount" numeric NOT NULL,
	"gross_amount" numeric NOT NULL,
	"high_confidence_amount" numeric NOT NULL
);
--> statement-breakpoint
ALTER TABLE "allocation_rollups" ADD COLUMN "high_confidence_amount" numeric DEFAULT '0' NOT NULL;--> statement-breakpoint
CREATE INDEX "allocation_team_days_run_idx" ON "allocation_team_days" USING btree ("run_id","bucket");--> statement-breakpoint
CREATE INDEX "allocation_rollups_owner_idx" ON "allocation_rollups" USING btree ("run_id","owner_id","bucket");--> statement-breakpoint
CREATE INDEX "allocation_rollups_resource_idx" ON "allocation_rollups" USING btree ("run_id","resource_id","bucket");--> statement-breakpoint
-- Existing rollups are rebuilt with their high-confidence part, and team-day sums added.
DELETE FROM "allocation_rollups";
--> statement-breakpoint
INSERT INTO "allocation_rollups" ("run_id","bucket","org_id","team","product","environment_id","resource_id","owner_id","owner_kind","amount","gross_amount","high_confidence_amount")
SELECT "run_id","bucket","org_id","team","product","environment_id","resource_id","owner_id","owner_kind",sum("amount"),sum("gross_amount"),
       coalesce(sum("amount") FILTER (WHERE "confidence" = 'high'), 0)
FROM "allocations"
GROUP BY "run_id","bucket","org_id","team","product","environment_id","resource_id","owner_id","owner_kind";
--> statement-breakpoint
INSERT INTO "allocation_team_days" ("run_id","bucket","org_id","team","product","environment_id","amount","gross_amount","high_confidence_amount")
SELECT "run_id","bucket","org_id","team","product","environment_id",sum("amount"),sum("gross_amount"),sum("high_confidence_amount")
FROM "allocation_rollups"
GROUP BY "run_id","bucket","org_id","team","product","environment_id";
