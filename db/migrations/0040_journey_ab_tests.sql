CREATE TABLE "journey_ab_assignments" (
	"enrollment_id" uuid NOT NULL,
	"node_id" text NOT NULL,
	"visit" integer NOT NULL,
	"journey_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"workspace_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"variant" smallint NOT NULL,
	"sample" boolean NOT NULL,
	"assigned_at" timestamp (3) with time zone NOT NULL,
	"message_id" uuid,
	"sent_at" timestamp (3) with time zone,
	CONSTRAINT "journey_ab_assignments_enrollment_id_node_id_visit_pk" PRIMARY KEY("enrollment_id","node_id","visit")
);
--> statement-breakpoint
CREATE TABLE "journey_ab_tests" (
	"journey_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"node_id" text NOT NULL,
	"workspace_id" uuid NOT NULL,
	"started_at" timestamp (3) with time zone NOT NULL,
	"winner" smallint,
	"result" jsonb,
	"decided_by" text,
	"decided_at" timestamp (3) with time zone,
	CONSTRAINT "journey_ab_tests_journey_id_version_node_id_pk" PRIMARY KEY("journey_id","version","node_id")
);
--> statement-breakpoint
ALTER TABLE "journey_ab_assignments" ADD CONSTRAINT "journey_ab_assignments_enrollment_id_journey_enrollments_id_fk" FOREIGN KEY ("enrollment_id") REFERENCES "public"."journey_enrollments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journey_ab_tests" ADD CONSTRAINT "journey_ab_tests_journey_id_journeys_id_fk" FOREIGN KEY ("journey_id") REFERENCES "public"."journeys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journey_ab_tests" ADD CONSTRAINT "journey_ab_tests_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "journey_ab_assignments_test_idx" ON "journey_ab_assignments" USING btree ("journey_id","version","node_id","variant","sent_at");--> statement-breakpoint
CREATE INDEX "journey_ab_tests_open_idx" ON "journey_ab_tests" USING btree ("started_at") WHERE "journey_ab_tests"."winner" is null;