CREATE TYPE "public"."message_attempt_outcome" AS ENUM('sent', 'failed', 'rate-limited');--> statement-breakpoint
CREATE TABLE "message_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"message_id" uuid NOT NULL,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"provider" text,
	"outcome" "message_attempt_outcome" NOT NULL,
	"error" text,
	"attempt" integer
);
--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "dead_lettered_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "retry_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "message_attempts" ADD CONSTRAINT "message_attempts_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_attempts" ADD CONSTRAINT "message_attempts_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "message_attempts_message_idx" ON "message_attempts" USING btree ("message_id","at","id");--> statement-breakpoint
CREATE INDEX "messages_dead_letters_idx" ON "messages" USING btree ("workspace_id","dead_lettered_at","id") WHERE "messages"."dead_lettered_at" is not null;