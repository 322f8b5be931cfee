CREATE TYPE "public"."bounce_kind" AS ENUM('hard', 'soft');--> statement-breakpoint
CREATE TYPE "public"."engagement_source" AS ENUM('send', 'pixel', 'redirect', 'resend', 'twilio', 'whatsapp', 'push', 'inbox', 'unsubscribe');--> statement-breakpoint
CREATE TYPE "public"."engagement_type" AS ENUM('sent', 'delivered', 'opened', 'clicked', 'bounced', 'complained', 'unsubscribed', 'seen');--> statement-breakpoint
CREATE TYPE "public"."machine_reason" AS ENUM('apple-privacy-proxy', 'security-scanner', 'prefetch-timing', 'bot-user-agent');--> statement-breakpoint
CREATE TABLE "campaign_stats_hourly" (
	"workspace_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"hour" timestamp (3) with time zone NOT NULL,
	"sent" integer DEFAULT 0 NOT NULL,
	"delivered" integer DEFAULT 0 NOT NULL,
	"opened" integer DEFAULT 0 NOT NULL,
	"unique_opened" integer DEFAULT 0 NOT NULL,
	"machine_opened" integer DEFAULT 0 NOT NULL,
	"clicked" integer DEFAULT 0 NOT NULL,
	"unique_clicked" integer DEFAULT 0 NOT NULL,
	"machine_clicked" integer DEFAULT 0 NOT NULL,
	"bounced" integer DEFAULT 0 NOT NULL,
	"hard_bounced" integer DEFAULT 0 NOT NULL,
	"complained" integer DEFAULT 0 NOT NULL,
	"unsubscribed" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "campaign_stats_hourly_campaign_id_hour_pk" PRIMARY KEY("campaign_id","hour")
);
--> statement-breakpoint
CREATE TABLE "contact_engagement" (
	"contact_id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"score" double precision DEFAULT 0 NOT NULL,
	"scored_at" timestamp (3) with time zone NOT NULL,
	"last_opened_at" timestamp (3) with time zone,
	"last_clicked_at" timestamp (3) with time zone,
	"last_engaged_at" timestamp (3) with time zone,
	"opens" integer DEFAULT 0 NOT NULL,
	"clicks" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "domain_stats" (
	"workspace_id" uuid NOT NULL,
	"campaign_id" uuid,
	"domain" text NOT NULL,
	"sent" integer DEFAULT 0 NOT NULL,
	"delivered" integer DEFAULT 0 NOT NULL,
	"opened" integer DEFAULT 0 NOT NULL,
	"unique_opened" integer DEFAULT 0 NOT NULL,
	"machine_opened" integer DEFAULT 0 NOT NULL,
	"clicked" integer DEFAULT 0 NOT NULL,
	"unique_clicked" integer DEFAULT 0 NOT NULL,
	"machine_clicked" integer DEFAULT 0 NOT NULL,
	"bounced" integer DEFAULT 0 NOT NULL,
	"hard_bounced" integer DEFAULT 0 NOT NULL,
	"complained" integer DEFAULT 0 NOT NULL,
	"unsubscribed" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "domain_stats_key" UNIQUE NULLS NOT DISTINCT("workspace_id","campaign_id","domain")
);
--> statement-breakpoint
CREATE TABLE "engagement_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"message_id" uuid,
	"campaign_id" uuid,
	"contact_id" uuid,
	"channel" "channel" NOT NULL,
	"type" "engagement_type" NOT NULL,
	"source" "engagement_source" NOT NULL,
	"occurred_at" timestamp (3) with time zone NOT NULL,
	"recorded_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"dedupe_key" text NOT NULL,
	"machine" "machine_reason",
	"url" text,
	"recipient_domain" text,
	"bounce_kind" "bounce_kind",
	"client" text,
	"device" text,
	"os" text,
	"first_open" boolean DEFAULT false NOT NULL,
	"first_click" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "link_stats" (
	"workspace_id" uuid NOT NULL,
	"campaign_id" uuid,
	"url" text NOT NULL,
	"clicked" integer DEFAULT 0 NOT NULL,
	"unique_clicked" integer DEFAULT 0 NOT NULL,
	"machine_clicked" integer DEFAULT 0 NOT NULL,
	"last_clicked_at" timestamp (3) with time zone,
	CONSTRAINT "link_stats_key" UNIQUE NULLS NOT DISTINCT("workspace_id","campaign_id","url")
);
--> statement-breakpoint
CREATE TABLE "workspace_stats_daily" (
	"workspace_id" uuid NOT NULL,
	"day" date NOT NULL,
	"channel" "channel" NOT NULL,
	"sent" integer DEFAULT 0 NOT NULL,
	"delivered" integer DEFAULT 0 NOT NULL,
	"opened" integer DEFAULT 0 NOT NULL,
	"unique_opened" integer DEFAULT 0 NOT NULL,
	"machine_opened" integer DEFAULT 0 NOT NULL,
	"clicked" integer DEFAULT 0 NOT NULL,
	"unique_clicked" integer DEFAULT 0 NOT NULL,
	"machine_clicked" integer DEFAULT 0 NOT NULL,
	"bounced" integer DEFAULT 0 NOT NULL,
	"hard_bounced" integer DEFAULT 0 NOT NULL,
	"complained" integer DEFAULT 0 NOT NULL,
	"unsubscribed" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "workspace_stats_daily_workspace_id_day_channel_pk" PRIMARY KEY("workspace_id","day","channel")
);
--> statement-breakpoint
ALTER TABLE "campaign_stats_hourly" ADD CONSTRAINT "campaign_stats_hourly_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_engagement" ADD CONSTRAINT "contact_engagement_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_engagement" ADD CONSTRAINT "contact_engagement_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "domain_stats" ADD CONSTRAINT "domain_stats_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagement_events" ADD CONSTRAINT "engagement_events_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "link_stats" ADD CONSTRAINT "link_stats_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workspace_stats_daily" ADD CONSTRAINT "workspace_stats_daily_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "campaign_stats_hourly_workspace_idx" ON "campaign_stats_hourly" USING btree ("workspace_id","hour");--> statement-breakpoint
CREATE INDEX "contact_engagement_workspace_engaged_idx" ON "contact_engagement" USING btree ("workspace_id","last_engaged_at");--> statement-breakpoint
CREATE UNIQUE INDEX "engagement_events_dedupe_key" ON "engagement_events" USING btree ("workspace_id","dedupe_key");--> statement-breakpoint
CREATE INDEX "engagement_events_workspace_occurred_idx" ON "engagement_events" USING btree ("workspace_id","occurred_at");--> statement-breakpoint
CREATE INDEX "engagement_events_campaign_occurred_idx" ON "engagement_events" USING btree ("campaign_id","occurred_at");--> statement-breakpoint
CREATE INDEX "engagement_events_message_idx" ON "engagement_events" USING btree ("message_id");