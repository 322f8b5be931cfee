CREATE TABLE "journey_segment_members" (
	"journey_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"contact_id" uuid NOT NULL,
	"entered_at" timestamp (3) with time zone NOT NULL,
	"seen_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "journey_segment_members_journey_id_version_contact_id_pk" PRIMARY KEY("journey_id","version","contact_id")
);
--> statement-breakpoint
ALTER TABLE "journey_segment_members" ADD CONSTRAINT "journey_segment_members_journey_id_journeys_id_fk" FOREIGN KEY ("journey_id") REFERENCES "public"."journeys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journey_segment_members" ADD CONSTRAINT "journey_segment_members_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "journey_segment_members_contact_idx" ON "journey_segment_members" USING btree ("contact_id");