CREATE TABLE "allocation_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"period" text NOT NULL,
	"rule_set_hash" text NOT NULL,
	"input_fingerprint" text NOT NULL,
	"status" text NOT NULL,
	"is_current" boolean DEFAULT false NOT NULL,
	"line_count" integer DEFAULT 0 NOT NULL,
	"row_count" integer DEFAULT 0 NOT NULL,
	"total" numeric DEFAULT '0' NOT NULL,
	"code_version" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "allocations" (
	"run_id" text NOT NULL,
	"bucket" date NOT NULL,
	"org_id" text NOT NULL,
	"environment_id" text,
	"resource_id" text,
	"product" text NOT NULL,
	"line_type" text NOT NULL,
	"line_id" integer,
	"owner_id" text NOT NULL,
	"owner_kind" text NOT NULL,
	"team" text NOT NULL,
	"amount" numeric NOT NULL,
	"gross_amount" numeric NOT NULL,
	"original_amount" numeric NOT NULL,
	"usage_share" numeric NOT NULL,
	"method" text NOT NULL,
	"confidence" text NOT NULL,
	"fallback_reason" text
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"org_id" text NOT NULL,
	"id" text NOT NULL,
	"owner_id" text NOT NULL,
	"owner_kind" text NOT NULL,
	"resource_id" text,
	"display_name" text,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_to" timestamp with time zone,
	CONSTRAINT "api_keys_org_id_id_valid_from_pk" PRIMARY KEY("org_id","id","valid_from")
);
--> statement-breakpoint
CREATE TABLE "billing_line_versions" (
	"line_id" integer NOT NULL,
	"version" integer NOT NULL,
	"original_amount" numeric NOT NULL,
	"discount_amount" numeric,
	"amount" numeric NOT NULL,
	"quantity" numeric,
	"raw" jsonb NOT NULL,
	"replaced_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "billing_line_versions_line_id_version_pk" PRIMARY KEY("line_id","version")
);
--> statement-breakpoint
CREATE TABLE "billing_lines" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"product" text NOT NULL,
	"line_type" text NOT NULL,
	"resource_id" text,
	"resource_name" text,
	"environment_id" text,
	"network_access_type" text,
	"tier_dimensions" text,
	"source_id" text,
	"granularity" text,
	"unit" text,
	"price" numeric,
	"quantity" numeric,
	"original_amount" numeric NOT NULL,
	"discount_amount" numeric,
	"amount" numeric NOT NULL,
	"description" text,
	"raw" jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "billing_lines_natural_key" UNIQUE NULLS NOT DISTINCT("org_id","start_date","product","line_type","resource_id","environment_id","network_access_type","tier_dimensions")
);
--> statement-breakpoint
CREATE TABLE "environments" (
	"org_id" text NOT NULL,
	"id" text NOT NULL,
	"display_name" text,
	"stream_governance_package" text,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_to" timestamp with time zone,
	CONSTRAINT "environments_org_id_id_valid_from_pk" PRIMARY KEY("org_id","id","valid_from")
);
--> statement-breakpoint
CREATE TABLE "export_allocations" (
	"org_id" text NOT NULL,
	"granularity" text NOT NULL,
	"bucket_start" timestamp with time zone NOT NULL,
	"owner_id" text NOT NULL,
	"environment_id" text DEFAULT '' NOT NULL,
	"resource_id" text DEFAULT '' NOT NULL,
	"product" text NOT NULL,
	"metric" text NOT NULL,
	"unit" text,
	"chargeback_cost" numeric NOT NULL,
	"original_amount" numeric NOT NULL,
	"usage_share" numeric NOT NULL,
	"team" text NOT NULL,
	"import_id" integer NOT NULL,
	CONSTRAINT "export_allocations_org_id_granularity_bucket_start_owner_id_environment_id_resource_id_product_metric_pk" PRIMARY KEY("org_id","granularity","bucket_start","owner_id","environment_id","resource_id","product","metric")
);
--> statement-breakpoint
CREATE TABLE "imports" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"kind" text NOT NULL,
	"file_name" text NOT NULL,
	"sha256" text NOT NULL,
	"row_count" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "organizations" (
	"id" text PRIMARY KEY NOT NULL,
	"display_name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "principals" (
	"org_id" text NOT NULL,
	"id" text NOT NULL,
	"kind" text NOT NULL,
	"display_name" text,
	"description" text,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_to" timestamp with time zone,
	CONSTRAINT "principals_org_id_id_valid_from_pk" PRIMARY KEY("org_id","id","valid_from")
);
--> statement-breakpoint
CREATE TABLE "resources" (
	"org_id" text NOT NULL,
	"id" text NOT NULL,
	"kind" text NOT NULL,
	"type" text,
	"cloud" text,
	"region" text,
	"display_name" text,
	"environment_id" text,
	"parent_id" text,
	"owner_id" text,
	"attributes" jsonb,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_to" timestamp with time zone,
	CONSTRAINT "resources_org_id_id_valid_from_pk" PRIMARY KEY("org_id","id","valid_from")
);
--> statement-breakpoint
CREATE TABLE "usage" (
	"org_id" text NOT NULL,
	"bucket_start" timestamp with time zone NOT NULL,
	"granularity" text NOT NULL,
	"resource_id" text NOT NULL,
	"subject_kind" text NOT NULL,
	"subject_id" text NOT NULL,
	"metric" text NOT NULL,
	"value" numeric NOT NULL,
	CONSTRAINT "usage_org_id_granularity_bucket_start_resource_id_subject_kind_subject_id_metric_pk" PRIMARY KEY("org_id","granularity","bucket_start","resource_id","subject_kind","subject_id","metric")
);
--> statement-breakpoint
CREATE TABLE "usage_fetches" (
	"org_id" text NOT NULL,
	"resource_id" text NOT NULL,
	"day" date NOT NULL,
	"status" text NOT NULL,
	"detail" text,
	"fetched_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "usage_fetches_org_id_resource_id_day_pk" PRIMARY KEY("org_id","resource_id","day")
);
--> statement-breakpoint
CREATE INDEX "allocation_runs_period_idx" ON "allocation_runs" USING btree ("org_id","period");--> statement-breakpoint
CREATE UNIQUE INDEX "allocation_runs_one_current" ON "allocation_runs" USING btree ("org_id","period") WHERE "allocation_runs"."is_current";--> statement-breakpoint
CREATE INDEX "allocations_run_idx" ON "allocations" USING btree ("run_id","bucket");--> statement-breakpoint
CREATE INDEX "allocations_run_team_idx" ON "allocations" USING btree ("run_id","team");--> statement-breakpoint
CREATE INDEX "api_keys_owner_idx" ON "api_keys" USING btree ("org_id","owner_id");--> statement-breakpoint
CREATE INDEX "billing_lines_org_day_idx" ON "billing_lines" USING btree ("org_id","start_date");--> statement-breakpoint
CREATE UNIQUE INDEX "imports_file_key" ON "imports" USING btree ("org_id","kind","sha256");--> statement-breakpoint
CREATE INDEX "resources_env_idx" ON "resources" USING btree ("org_id","environment_id");