ALTER TYPE "public"."recommendation_kind" ADD VALUE 'relationship-summary';--> statement-breakpoint
ALTER TYPE "public"."recommendation_target" ADD VALUE 'contact';--> statement-breakpoint
CREATE TABLE "contact_relationships" (
	"contact_id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"messages_sent" integer NOT NULL,
	"messages_received" integer NOT NULL,
	"sent_last_90_days" integer NOT NULL,
	"received_last_90_days" integer NOT NULL,
	"first_interaction_at" timestamp (3) with time zone NOT NULL,
	"last_interaction_at" timestamp (3) with time zone NOT NULL,
	"interaction_days" integer NOT NULL,
	"usual_gap_days" double precision,
	"reciprocity" double precision NOT NULL,
	"owner_reply_median_seconds" integer,
	"contact_reply_median_seconds" integer,
	"strength" double precision NOT NULL,
	"peak_strength" double precision NOT NULL,
	"going_cold" boolean DEFAULT false NOT NULL,
	"awaiting_threads" integer DEFAULT 0 NOT NULL,
	"awaiting_subject" text,
	"awaiting_since" timestamp (3) with time zone,
	"computed_at" timestamp (3) with time zone NOT NULL,
	"summary" text,
	"next_action" text,
	"summary_source" "recommendation_source",
	"summary_note" text,
	"input_hash" text,
	"recommendation_id" uuid,
	"summarised_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "contact_relationships" ADD CONSTRAINT "contact_relationships_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_relationships" ADD CONSTRAINT "contact_relationships_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_relationships" ADD CONSTRAINT "contact_relationships_recommendation_id_ai_recommendations_id_fk" FOREIGN KEY ("recommendation_id") REFERENCES "public"."ai_recommendations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contact_relationships_workspace_strength_idx" ON "contact_relationships" USING btree ("workspace_id","strength","contact_id");--> statement-breakpoint
CREATE INDEX "contact_relationships_workspace_cold_idx" ON "contact_relationships" USING btree ("workspace_id","peak_strength","contact_id") WHERE "contact_relationships"."going_cold";--> statement-breakpoint
CREATE INDEX "contact_relationships_workspace_awaiting_idx" ON "contact_relationships" USING btree ("workspace_id","strength","contact_id") WHERE "contact_relationships"."awaiting_threads" > 0;--> statement-breakpoint
CREATE INDEX "mailbox_messages_workspace_thread_idx" ON "mailbox_messages" USING btree ("workspace_id","thread_id","sent_at");