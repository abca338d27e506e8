CREATE TABLE "invoice_subtotals" (
	"org_id" text NOT NULL,
	"period" text NOT NULL,
	"usage_subtotal" numeric NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invoice_subtotals_org_id_period_pk" PRIMARY KEY("org_id","period")
);
--> statement-breakpoint
CREATE TABLE "period_closes" (
	"org_id" text NOT NULL,
	"period" text NOT NULL,
	"run_id" text NOT NULL,
	"reconciliation_id" text,
	"forced" boolean DEFAULT false NOT NULL,
	"reason" text,
	"closed_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "period_closes_org_id_period_pk" PRIMARY KEY("org_id","period")
);
--> statement-breakpoint
CREATE TABLE "reconciliations" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"period" text NOT NULL,
	"run_id" text NOT NULL,
	"passed" boolean NOT NULL,
	"result" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "restatements" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"period" text NOT NULL,
	"previous_run_id" text NOT NULL,
	"run_id" text NOT NULL,
	"reason" text,
	"delta" numeric NOT NULL,
	"changes" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "reconciliations_period_idx" ON "reconciliations" USING btree ("org_id","period","created_at");--> statement-breakpoint
CREATE INDEX "restatements_period_idx" ON "restatements" USING btree ("org_id","period");