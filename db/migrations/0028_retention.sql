ALTER TABLE "contacts" ADD COLUMN "anonymised_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "file_deleted_at" timestamp (3) with time zone;--> statement-breakpoint
CREATE INDEX "webhook_events_received_idx" ON "webhook_events" USING btree ("received_at","provider","delivery_id");--> statement-breakpoint
CREATE INDEX "engagement_events_contact_occurred_idx" ON "engagement_events" USING btree ("contact_id","occurred_at");