CREATE TABLE "allocation_rollups" (
	"run_id" text NOT NULL,
	"bucket" date NOT NULL,
	"org_id" text NOT NULL,
	"team" text NOT NULL,
	"product" text NOT NULL,
	"environment_id" text,
	"resource_id" text,
	"owner_id" text NOT NULL,
	"owner_kind" text NOT NULL,
	"amount" numeric NOT NULL,
	"gross_amount" numeric NOT NULL
);
--> statement-breakpoint
CREATE TABLE "job_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"job" text NOT NULL,
	"holder" text NOT NULL,
	"outcome" text NOT NULL,
	"trigger" text DEFAULT 'schedule' NOT NULL,
	"attempt" integer DEFAULT 1 NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"counts" jsonb,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "sent_messages" (
	"key" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"channel" text NOT NULL,
	"status" text NOT NULL,
	"message_ts" text,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "allocation_rollups_run_idx" ON "allocation_rollups" USING btree ("run_id","bucket");--> statement-breakpoint
CREATE INDEX "allocation_rollups_team_idx" ON "allocation_rollups" USING btree ("run_id","team","bucket");--> statement-breakpoint
CREATE INDEX "job_runs_job_idx" ON "job_runs" USING btree ("job","started_at");--> statement-breakpoint
CREATE INDEX "sent_messages_kind_idx" ON "sent_messages" USING btree ("kind","created_at");--> statement-breakpoint
-- Existing runs get their rollups, so answers read the same figures as before the upgrade.
INSERT INTO "allocation_rollups" ("run_id","bucket","org_id","team","product","environment_id","resource_id","owner_id","owner_kind","amount","gross_amount")
SELECT "run_id","bucket","org_id","team","product","environment_id","resource_id","owner_id","owner_kind",sum("amount"),sum("gross_amount")
FROM "allocations"
GROUP BY "run_id","bucket","org_id","team","product","environment_id","resource_id","owner_id","owner_kind";
