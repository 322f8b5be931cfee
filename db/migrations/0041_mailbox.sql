CREATE TYPE "public"."contact_source_kind" AS ENUM('header', 'signature');--> statement-breakpoint
CREATE TYPE "public"."mailbox_connection_kind" AS ENUM('import');--> statement-breakpoint
CREATE TYPE "public"."mailbox_connection_status" AS ENUM('active', 'paused', 'error', 'disconnected');--> statement-breakpoint
CREATE TYPE "public"."mailbox_direction" AS ENUM('sent', 'received');--> statement-breakpoint
CREATE TABLE "contact_sources" (
	"id" uuid PRIMARY KEY DEFAULT uuidv7() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"field" text NOT NULL,
	"value" text NOT NULL,
	"source" "contact_source_kind" NOT NULL,
	"connection_id" uuid,
	"mailbox_message_id" uuid,
	"first_seen_at" timestamp (3) with time zone NOT NULL,
	"last_seen_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mailbox_connections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"kind" "mailbox_connection_kind" NOT NULL,
	"status" "mailbox_connection_status" DEFAULT 'active' NOT NULL,
	"status_reason" text,
	"label" text NOT NULL,
	"owner_addresses" text[] DEFAULT '{}'::text[] NOT NULL,
	"store_bodies" boolean DEFAULT false NOT NULL,
	"file_key" text,
	"file_name" text,
	"file_bytes" bigint,
	"sha256" text,
	"cursor" jsonb,
	"messages_seen" integer DEFAULT 0 NOT NULL,
	"messages_stored" integer DEFAULT 0 NOT NULL,
	"messages_skipped" integer DEFAULT 0 NOT NULL,
	"recipients_dropped" integer DEFAULT 0 NOT NULL,
	"contacts_created" integer DEFAULT 0 NOT NULL,
	"contacts_updated" integer DEFAULT 0 NOT NULL,
	"skipped_samples" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp (3) with time zone,
	"finished_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "mailbox_messages" (
	"id" uuid PRIMARY KEY DEFAULT uuidv7() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"connection_id" uuid,
	"message_id" text NOT NULL,
	"thread_id" text NOT NULL,
	"from_address" jsonb,
	"to_addresses" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"cc_addresses" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"participants" text[] DEFAULT '{}'::text[] NOT NULL,
	"sent_at" timestamp (3) with time zone,
	"subject" text,
	"snippet" text,
	"direction" "mailbox_direction" NOT NULL,
	"labels" text[] DEFAULT '{}'::text[] NOT NULL,
	"automated" boolean DEFAULT false NOT NULL,
	"automated_reason" text,
	"body" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "contact_sources" ADD CONSTRAINT "contact_sources_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_sources" ADD CONSTRAINT "contact_sources_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_sources" ADD CONSTRAINT "contact_sources_connection_id_mailbox_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."mailbox_connections"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_sources" ADD CONSTRAINT "contact_sources_mailbox_message_id_mailbox_messages_id_fk" FOREIGN KEY ("mailbox_message_id") REFERENCES "public"."mailbox_messages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mailbox_connections" ADD CONSTRAINT "mailbox_connections_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mailbox_messages" ADD CONSTRAINT "mailbox_messages_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mailbox_messages" ADD CONSTRAINT "mailbox_messages_connection_id_mailbox_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."mailbox_connections"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "contact_sources_contact_field_value_key" ON "contact_sources" USING btree ("contact_id","field","value");--> statement-breakpoint
CREATE INDEX "contact_sources_workspace_idx" ON "contact_sources" USING btree ("workspace_id","contact_id");--> statement-breakpoint
CREATE INDEX "mailbox_connections_workspace_created_idx" ON "mailbox_connections" USING btree ("workspace_id","created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "mailbox_messages_workspace_message_id_key" ON "mailbox_messages" USING btree ("workspace_id","message_id");--> statement-breakpoint
CREATE INDEX "mailbox_messages_workspace_created_idx" ON "mailbox_messages" USING btree ("workspace_id","created_at","id");--> statement-breakpoint
CREATE INDEX "mailbox_messages_participants_idx" ON "mailbox_messages" USING gin ("participants");