ALTER TYPE "public"."mailbox_connection_kind" ADD VALUE 'imap';--> statement-breakpoint
ALTER TYPE "public"."mailbox_connection_kind" ADD VALUE 'gmail';--> statement-breakpoint
ALTER TYPE "public"."mailbox_connection_status" ADD VALUE 'reconnect';--> statement-breakpoint
ALTER TABLE "mailbox_connections" ADD COLUMN "settings" jsonb;--> statement-breakpoint
ALTER TABLE "mailbox_connections" ADD COLUMN "credentials" text;--> statement-breakpoint
ALTER TABLE "mailbox_connections" ADD COLUMN "credentials_key_id" text;--> statement-breakpoint
ALTER TABLE "mailbox_connections" ADD COLUMN "history_days" integer DEFAULT 365 NOT NULL;--> statement-breakpoint
ALTER TABLE "mailbox_connections" ADD COLUMN "last_synced_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "mailbox_connections" ADD COLUMN "backfilled_at" timestamp (3) with time zone;--> statement-breakpoint
CREATE INDEX "mailbox_connections_credentials_key_idx" ON "mailbox_connections" USING btree ("credentials_key_id") WHERE "mailbox_connections"."credentials_key_id" is not null;--> statement-breakpoint
-- Skip samples name where a message was as text now (`byte 1234`, `INBOX uid 42`), not a byte offset.
UPDATE "mailbox_connections" SET "skipped_samples" = (
  SELECT coalesce(jsonb_agg(jsonb_build_object('at', 'byte ' || (s->>'offset'), 'reason', s->>'reason') ORDER BY n), '[]'::jsonb)
  FROM jsonb_array_elements("skipped_samples") WITH ORDINALITY AS e(s, n)
) WHERE "skipped_samples" <> '[]'::jsonb;
