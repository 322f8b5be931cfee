CREATE TABLE "email_assets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"storage_key" text NOT NULL,
	"content_type" text NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"bytes" integer NOT NULL,
	"original_content_type" text NOT NULL,
	"original_width" integer NOT NULL,
	"original_height" integer NOT NULL,
	"original_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"file_name" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "email_assets" ADD CONSTRAINT "email_assets_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "email_assets_workspace_sha256_key" ON "email_assets" USING btree ("workspace_id","sha256");--> statement-breakpoint
CREATE INDEX "email_assets_workspace_created_idx" ON "email_assets" USING btree ("workspace_id","created_at","id");