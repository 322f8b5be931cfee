ALTER TYPE "public"."mailbox_connection_kind" ADD VALUE 'imap';--> statement-breakpoint
ALTER TYPE "public"."mailbox_connection_kind" ADD VALUE 'gmail';--> statement-breakpoint
ALTER TYPE "public"."mailbox_connection_status" ADD VALUE 'reconnect';--> statement-breakpoint
ALTER TABLE "mailbox_connections" ADD COLUMN "settings" jsonb;--> statement-breakpoint
ALTER TABLE "mailbox_connections" ADD COLUMN "credentials" text;--> statement-breakpoint
ALTER TABLE "mailbox_connections" ADD COLUMN "credentials_key_id" text;--> statement-breakpoint
ALTER TABLE "mailbox_connections" ADD COLUMN "history_days" integer DEFAULT 365 NOT NULL;--> statement-breakpoint
ALTER TABLE "mailbox_connections" ADD COLUMN "last_synced_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "mailbox_connections" ADD COLUMN "backfilled_at" timestamp (3) with time zone;--> statement-breakpoint
CREATE INDEX "mailbox_connections_credentials_key_idx" ON "mailbox_connections" USING btree ("credentials_key_id") WHERE "mailbox_connections"."credentials_key_id" is not null;