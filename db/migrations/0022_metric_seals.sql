CREATE TYPE "public"."seal_kind" AS ENUM('finished', 'settled', 'manual');--> statement-breakpoint
CREATE TABLE "metric_seals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"sequence" integer NOT NULL,
	"kind" "seal_kind" NOT NULL,
	"body" jsonb NOT NULL,
	"hash" text NOT NULL,
	"signature" text NOT NULL,
	"key_id" text NOT NULL,
	"sealed_at" timestamp (3) with time zone NOT NULL,
	"root_id" uuid,
	"leaf_index" integer,
	"proof" jsonb
);
--> statement-breakpoint
CREATE TABLE "seal_keys" (
	"key_id" text PRIMARY KEY NOT NULL,
	"public_key" jsonb NOT NULL,
	"first_used_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "seal_roots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"day" text NOT NULL,
	"body" jsonb NOT NULL,
	"hash" text NOT NULL,
	"signature" text NOT NULL,
	"key_id" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "metric_seals" ADD CONSTRAINT "metric_seals_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metric_seals" ADD CONSTRAINT "metric_seals_root_id_seal_roots_id_fk" FOREIGN KEY ("root_id") REFERENCES "public"."seal_roots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "metric_seals_workspace_sequence_idx" ON "metric_seals" USING btree ("workspace_id","sequence");--> statement-breakpoint
CREATE UNIQUE INDEX "metric_seals_campaign_kind_idx" ON "metric_seals" USING btree ("workspace_id","campaign_id","kind") WHERE "metric_seals"."kind" <> 'manual';--> statement-breakpoint
CREATE INDEX "metric_seals_campaign_idx" ON "metric_seals" USING btree ("workspace_id","campaign_id","sequence");--> statement-breakpoint
CREATE INDEX "metric_seals_unrooted_idx" ON "metric_seals" USING btree ("sealed_at") WHERE "metric_seals"."root_id" is null;--> statement-breakpoint
CREATE INDEX "seal_roots_day_idx" ON "seal_roots" USING btree ("day");