CREATE TABLE "contact_enrichments" (
	"contact_id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"domain" text,
	"company" text,
	"is_free_mail" boolean DEFAULT false NOT NULL,
	"provider" text NOT NULL,
	"enriched_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"error" text
);
--> statement-breakpoint
ALTER TABLE "contact_enrichments" ADD CONSTRAINT "contact_enrichments_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_enrichments" ADD CONSTRAINT "contact_enrichments_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contact_enrichments_workspace_domain_idx" ON "contact_enrichments" USING btree ("workspace_id","domain");