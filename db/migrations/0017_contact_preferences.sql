CREATE TYPE "public"."preference_source" AS ENUM('api', 'preference_center', 'unsubscribe');--> statement-breakpoint
CREATE TABLE "contact_preferences" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"channel" "channel" NOT NULL,
	"category_id" uuid,
	"enabled" boolean NOT NULL,
	"source" "preference_source" NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contact_preferences_cell_key" UNIQUE NULLS NOT DISTINCT("contact_id","channel","category_id")
);
--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "category" text;--> statement-breakpoint
ALTER TABLE "contact_preferences" ADD CONSTRAINT "contact_preferences_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_preferences" ADD CONSTRAINT "contact_preferences_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_preferences" ADD CONSTRAINT "contact_preferences_category_id_notification_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."notification_categories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contact_preferences_category_idx" ON "contact_preferences" USING btree ("category_id");