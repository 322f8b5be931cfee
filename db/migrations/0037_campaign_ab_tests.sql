ALTER TABLE "campaign_recipients" ADD COLUMN "variant" integer;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "ab_test" jsonb;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "ab_winner" integer;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "ab_result" jsonb;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "ab_decided_by" text;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "ab_decided_at" timestamp (3) with time zone;