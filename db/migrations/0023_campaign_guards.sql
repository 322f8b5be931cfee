CREATE TYPE "public"."alert_severity" AS ENUM('warning', 'critical');--> statement-breakpoint
CREATE TYPE "public"."campaign_analysis_phase" AS ENUM('finished', 'settled');--> statement-breakpoint
CREATE TABLE "campaign_analyses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"phase" "campaign_analysis_phase" NOT NULL,
	"totals" jsonb NOT NULL,
	"baseline_totals" jsonb NOT NULL,
	"baseline_campaign_ids" jsonb NOT NULL,
	"analysis" jsonb NOT NULL,
	"analyzed_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campaign_guard_trips" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"alert_id" uuid NOT NULL,
	"readings" jsonb NOT NULL,
	"totals" jsonb NOT NULL,
	"tripped_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"announced_at" timestamp (3) with time zone,
	"acknowledged" jsonb,
	"acknowledged_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "workspace_alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"severity" "alert_severity" NOT NULL,
	"title" text NOT NULL,
	"message" text NOT NULL,
	"target_type" text,
	"target_id" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "campaign_analyses" ADD CONSTRAINT "campaign_analyses_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_analyses" ADD CONSTRAINT "campaign_analyses_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_guard_trips" ADD CONSTRAINT "campaign_guard_trips_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_guard_trips" ADD CONSTRAINT "campaign_guard_trips_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workspace_alerts" ADD CONSTRAINT "workspace_alerts_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_analyses_campaign_phase_idx" ON "campaign_analyses" USING btree ("campaign_id","phase");--> statement-breakpoint
CREATE INDEX "campaign_analyses_workspace_idx" ON "campaign_analyses" USING btree ("workspace_id");--> statement-breakpoint
CREATE INDEX "campaign_guard_trips_campaign_idx" ON "campaign_guard_trips" USING btree ("campaign_id","tripped_at");--> statement-breakpoint
CREATE INDEX "campaign_guard_trips_unannounced_idx" ON "campaign_guard_trips" USING btree ("tripped_at") WHERE announced_at is null;--> statement-breakpoint
CREATE INDEX "workspace_alerts_workspace_created_idx" ON "workspace_alerts" USING btree ("workspace_id","created_at","id");