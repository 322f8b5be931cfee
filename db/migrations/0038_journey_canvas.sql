CREATE TABLE "journey_draft_revisions" (
	"journey_id" uuid NOT NULL,
	"revision" integer NOT NULL,
	"draft" jsonb NOT NULL,
	"saved_at" timestamp (3) with time zone NOT NULL,
	"saved_by" text,
	"kind" text DEFAULT 'save' NOT NULL,
	CONSTRAINT "journey_draft_revisions_journey_id_revision_pk" PRIMARY KEY("journey_id","revision")
);
--> statement-breakpoint
CREATE TABLE "journey_step_previews" (
	"journey_id" uuid NOT NULL,
	"step_id" text NOT NULL,
	"template_id" uuid NOT NULL,
	"template_updated_at" timestamp (3) with time zone NOT NULL,
	"preview" jsonb,
	"problem" text,
	"rendered_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "journey_step_previews_journey_id_step_id_pk" PRIMARY KEY("journey_id","step_id")
);
--> statement-breakpoint
ALTER TABLE "journey_draft_revisions" ADD CONSTRAINT "journey_draft_revisions_journey_id_journeys_id_fk" FOREIGN KEY ("journey_id") REFERENCES "public"."journeys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journey_step_previews" ADD CONSTRAINT "journey_step_previews_journey_id_journeys_id_fk" FOREIGN KEY ("journey_id") REFERENCES "public"."journeys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Journeys saved before the history existed: their current draft is the revision a stale save merges against.
INSERT INTO "journey_draft_revisions" ("journey_id", "revision", "draft", "saved_at", "saved_by", "kind") SELECT "id", "draft_revision", "draft", "draft_saved_at", "draft_saved_by", 'save' FROM "journeys";
