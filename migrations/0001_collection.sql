CREATE TABLE "collection_checkpoints" (
	"org_id" text NOT NULL,
	"kind" text NOT NULL,
	"through_day" date NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "collection_checkpoints_org_id_kind_pk" PRIMARY KEY("org_id","kind")
);
--> statement-breakpoint
CREATE TABLE "collection_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"window_from" date NOT NULL,
	"window_to" date NOT NULL,
	"status" text NOT NULL,
	"summary" jsonb,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "collection_runs_org_idx" ON "collection_runs" USING btree ("org_id","created_at");