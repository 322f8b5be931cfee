CREATE TYPE "public"."automation_status" AS ENUM('active', 'paused');--> statement-breakpoint
CREATE TYPE "public"."journey_enrollment_status" AS ENUM('active', 'completed', 'exited', 'failed');--> statement-breakpoint
CREATE TYPE "public"."journey_status" AS ENUM('draft', 'active', 'paused', 'archived');--> statement-breakpoint
CREATE TABLE "contact_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"event_id" text NOT NULL,
	"name" text NOT NULL,
	"contact_id" uuid NOT NULL,
	"properties" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"occurred_at" timestamp (3) with time zone NOT NULL,
	"received_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "date_automation_sends" (
	"automation_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"year" smallint NOT NULL,
	"message_id" uuid,
	"skipped_reason" text,
	"claimed_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "date_automation_sends_automation_id_contact_id_year_pk" PRIMARY KEY("automation_id","contact_id","year")
);
--> statement-breakpoint
CREATE TABLE "date_automations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"date_field" text NOT NULL,
	"send_hour" smallint DEFAULT 9 NOT NULL,
	"send_minute" smallint DEFAULT 0 NOT NULL,
	"channel" "channel" NOT NULL,
	"template_id" uuid NOT NULL,
	"category" text,
	"from_address" text,
	"status" "automation_status" DEFAULT 'active' NOT NULL,
	"status_reason" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "journey_enrollments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"journey_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"contact_id" uuid NOT NULL,
	"status" "journey_enrollment_status" DEFAULT 'active' NOT NULL,
	"current_step_id" text,
	"trigger" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"entered_at" timestamp (3) with time zone NOT NULL,
	"ended_at" timestamp (3) with time zone,
	"exit_reason" text
);
--> statement-breakpoint
CREATE TABLE "journey_step_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"enrollment_id" uuid NOT NULL,
	"journey_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"step_id" text NOT NULL,
	"type" text NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "journey_versions" (
	"journey_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"graph" jsonb NOT NULL,
	"published_at" timestamp (3) with time zone NOT NULL,
	"published_by" text NOT NULL,
	CONSTRAINT "journey_versions_journey_id_version_pk" PRIMARY KEY("journey_id","version")
);
--> statement-breakpoint
CREATE TABLE "journeys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"status" "journey_status" DEFAULT 'draft' NOT NULL,
	"status_reason" text,
	"draft" jsonb NOT NULL,
	"draft_revision" integer DEFAULT 0 NOT NULL,
	"draft_saved_at" timestamp (3) with time zone NOT NULL,
	"draft_saved_by" text,
	"published_version" integer,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "local_send_time" text;--> statement-breakpoint
ALTER TABLE "contact_events" ADD CONSTRAINT "contact_events_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_events" ADD CONSTRAINT "contact_events_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "date_automation_sends" ADD CONSTRAINT "date_automation_sends_automation_id_date_automations_id_fk" FOREIGN KEY ("automation_id") REFERENCES "public"."date_automations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "date_automation_sends" ADD CONSTRAINT "date_automation_sends_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "date_automation_sends" ADD CONSTRAINT "date_automation_sends_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "date_automations" ADD CONSTRAINT "date_automations_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "date_automations" ADD CONSTRAINT "date_automations_template_id_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."templates"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journey_enrollments" ADD CONSTRAINT "journey_enrollments_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journey_enrollments" ADD CONSTRAINT "journey_enrollments_journey_id_journeys_id_fk" FOREIGN KEY ("journey_id") REFERENCES "public"."journeys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journey_enrollments" ADD CONSTRAINT "journey_enrollments_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journey_step_events" ADD CONSTRAINT "journey_step_events_enrollment_id_journey_enrollments_id_fk" FOREIGN KEY ("enrollment_id") REFERENCES "public"."journey_enrollments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journey_versions" ADD CONSTRAINT "journey_versions_journey_id_journeys_id_fk" FOREIGN KEY ("journey_id") REFERENCES "public"."journeys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journeys" ADD CONSTRAINT "journeys_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "contact_events_workspace_event_id_idx" ON "contact_events" USING btree ("workspace_id","event_id");--> statement-breakpoint
CREATE INDEX "contact_events_contact_idx" ON "contact_events" USING btree ("contact_id","occurred_at");--> statement-breakpoint
CREATE INDEX "contact_events_workspace_name_idx" ON "contact_events" USING btree ("workspace_id","name","occurred_at");--> statement-breakpoint
CREATE INDEX "date_automations_workspace_idx" ON "date_automations" USING btree ("workspace_id","status");--> statement-breakpoint
CREATE INDEX "journey_enrollments_journey_idx" ON "journey_enrollments" USING btree ("journey_id","status");--> statement-breakpoint
CREATE INDEX "journey_enrollments_contact_idx" ON "journey_enrollments" USING btree ("contact_id","journey_id","entered_at");--> statement-breakpoint
CREATE UNIQUE INDEX "journey_enrollments_active_idx" ON "journey_enrollments" USING btree ("journey_id","contact_id") WHERE "journey_enrollments"."status" = 'active';--> statement-breakpoint
CREATE INDEX "journey_step_events_enrollment_idx" ON "journey_step_events" USING btree ("enrollment_id","id");--> statement-breakpoint
CREATE INDEX "journey_step_events_step_idx" ON "journey_step_events" USING btree ("journey_id","version","step_id","type");--> statement-breakpoint
CREATE INDEX "journeys_workspace_idx" ON "journeys" USING btree ("workspace_id","status");