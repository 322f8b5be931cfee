CREATE TYPE "public"."archive_status" AS ENUM('archiving', 'archived', 'restoring', 'restored', 'failed');--> statement-breakpoint
CREATE TYPE "public"."backup_status" AS ENUM('running', 'completed', 'failed');--> statement-breakpoint
CREATE TYPE "public"."erasure_status" AS ENUM('pending', 'waiting', 'erasing', 'erased', 'restored');--> statement-breakpoint
CREATE TYPE "public"."erasure_subject" AS ENUM('contact', 'workspace');--> statement-breakpoint
CREATE TYPE "public"."export_status" AS ENUM('queued', 'running', 'ready', 'failed', 'expired');--> statement-breakpoint
CREATE TYPE "public"."export_subject" AS ENUM('contact', 'workspace');--> statement-breakpoint
CREATE TYPE "public"."retention_run_status" AS ENUM('running', 'completed', 'failed');--> statement-breakpoint
CREATE TABLE "archive_contacts" (
	"archive_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	CONSTRAINT "archive_contacts_archive_id_contact_id_pk" PRIMARY KEY("archive_id","contact_id")
);
--> statement-breakpoint
CREATE TABLE "backups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"status" "backup_status" DEFAULT 'running' NOT NULL,
	"trigger" text NOT NULL,
	"storage_prefix" text,
	"manifest" jsonb,
	"bytes" bigint,
	"started_at" timestamp (3) with time zone NOT NULL,
	"finished_at" timestamp (3) with time zone,
	"expires_at" timestamp (3) with time zone,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "campaign_archives" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"status" "archive_status" DEFAULT 'archiving' NOT NULL,
	"storage_prefix" text,
	"manifest" jsonb,
	"archived_at" timestamp (3) with time zone,
	"restored_at" timestamp (3) with time zone,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "data_exports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"subject" "export_subject" NOT NULL,
	"contact_id" uuid,
	"status" "export_status" DEFAULT 'queued' NOT NULL,
	"rows_total" integer,
	"rows_done" integer DEFAULT 0 NOT NULL,
	"storage_key" text,
	"bytes" bigint,
	"sha256" text,
	"notify_email" text,
	"requested_by" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"finished_at" timestamp (3) with time zone,
	"expires_at" timestamp (3) with time zone,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "erasures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"subject" "erasure_subject" NOT NULL,
	"contact_id" uuid,
	"status" "erasure_status" DEFAULT 'pending' NOT NULL,
	"requested_by" text NOT NULL,
	"requested_at" timestamp (3) with time zone NOT NULL,
	"erase_after" timestamp (3) with time zone NOT NULL,
	"executed_at" timestamp (3) with time zone,
	"restored_at" timestamp (3) with time zone,
	"recovery_emails_sent" integer DEFAULT 0 NOT NULL,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "retention_policies" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"inactive_contact_days" integer,
	"message_body_days" integer,
	"webhook_payload_days" integer,
	"run_data_days" integer,
	"confirm_share" text DEFAULT '0.1' NOT NULL,
	"confirmed_at" timestamp (3) with time zone,
	"updated_by" text,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "retention_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"dry_run" boolean NOT NULL,
	"status" "retention_run_status" DEFAULT 'running' NOT NULL,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"started_at" timestamp (3) with time zone NOT NULL,
	"finished_at" timestamp (3) with time zone,
	"error" text
);
--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "prev_hash" text;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "hash" text;--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "erasure_requested_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "erasure_requested_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "archive_contacts" ADD CONSTRAINT "archive_contacts_archive_id_campaign_archives_id_fk" FOREIGN KEY ("archive_id") REFERENCES "public"."campaign_archives"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_archives" ADD CONSTRAINT "campaign_archives_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_archives" ADD CONSTRAINT "campaign_archives_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_exports" ADD CONSTRAINT "data_exports_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retention_policies" ADD CONSTRAINT "retention_policies_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retention_runs" ADD CONSTRAINT "retention_runs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "archive_contacts_contact_idx" ON "archive_contacts" USING btree ("contact_id");--> statement-breakpoint
CREATE INDEX "backups_started_idx" ON "backups" USING btree ("started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_archives_campaign_idx" ON "campaign_archives" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "campaign_archives_workspace_idx" ON "campaign_archives" USING btree ("workspace_id");--> statement-breakpoint
CREATE INDEX "data_exports_workspace_created_idx" ON "data_exports" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE INDEX "data_exports_contact_idx" ON "data_exports" USING btree ("contact_id");--> statement-breakpoint
CREATE INDEX "erasures_workspace_requested_idx" ON "erasures" USING btree ("workspace_id","requested_at");--> statement-breakpoint
CREATE UNIQUE INDEX "erasures_open_contact_idx" ON "erasures" USING btree ("workspace_id","contact_id") WHERE "erasures"."status" in ('pending', 'waiting', 'erasing') and "erasures"."contact_id" is not null;--> statement-breakpoint
CREATE INDEX "retention_runs_workspace_started_idx" ON "retention_runs" USING btree ("workspace_id","started_at");