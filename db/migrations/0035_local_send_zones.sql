ALTER TABLE "campaign_chunks" ADD COLUMN "zone" text;--> statement-breakpoint
ALTER TABLE "campaign_chunks" ADD COLUMN "release_at" timestamp (3) with time zone;