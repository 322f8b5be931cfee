ALTER TABLE "campaign_archives" ADD COLUMN "requested_by" text DEFAULT 'schedule' NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign_archives" ADD COLUMN "requested_at" timestamp (3) with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
CREATE INDEX "campaign_archives_workspace_requested_idx" ON "campaign_archives" USING btree ("workspace_id","requested_at","id");