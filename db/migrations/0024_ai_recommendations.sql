CREATE TYPE "public"."recommendation_kind" AS ENUM('subject-lines', 'send-time', 'content-feedback', 'campaign-summary');--> statement-breakpoint
CREATE TYPE "public"."recommendation_source" AS ENUM('openai', 'heuristic');--> statement-breakpoint
CREATE TYPE "public"."recommendation_status" AS ENUM('pending', 'answered');--> statement-breakpoint
CREATE TYPE "public"."recommendation_target" AS ENUM('campaign', 'template', 'segment');--> statement-breakpoint
CREATE TABLE "ai_recommendations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"kind" "recommendation_kind" NOT NULL,
	"target_type" "recommendation_target" NOT NULL,
	"target_id" uuid NOT NULL,
	"input_hash" text NOT NULL,
	"basis" jsonb NOT NULL,
	"status" "recommendation_status" DEFAULT 'pending' NOT NULL,
	"source" "recommendation_source",
	"model" text,
	"answer" jsonb,
	"note" text,
	"cacheable" boolean DEFAULT false NOT NULL,
	"cached_from" uuid,
	"prompt_tokens" integer DEFAULT 0 NOT NULL,
	"completion_tokens" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"answered_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "ai_token_usage" (
	"workspace_id" uuid NOT NULL,
	"day" date NOT NULL,
	"tokens" integer DEFAULT 0 NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "ai_token_usage_workspace_id_day_pk" PRIMARY KEY("workspace_id","day")
);
--> statement-breakpoint
ALTER TABLE "ai_recommendations" ADD CONSTRAINT "ai_recommendations_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_token_usage" ADD CONSTRAINT "ai_token_usage_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ai_recommendations_workspace_created_idx" ON "ai_recommendations" USING btree ("workspace_id","created_at","id");--> statement-breakpoint
CREATE INDEX "ai_recommendations_cache_idx" ON "ai_recommendations" USING btree ("workspace_id","kind","input_hash");