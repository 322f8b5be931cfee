ALTER TABLE "contacts" ADD COLUMN "birthday_month" smallint;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "birthday_day" smallint;--> statement-breakpoint
-- Backfill (added by hand to the generated file): every stored birthday has a year, so month and
-- day come from it; this must run before the check constraint below, which requires them.
UPDATE "contacts" SET "birthday_month" = extract(month from "birthday"), "birthday_day" = extract(day from "birthday") WHERE "birthday" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "contacts_workspace_birthday_idx" ON "contacts" USING btree ("workspace_id","birthday_month","birthday_day") WHERE "contacts"."birthday_month" is not null;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_birthday_check" CHECK ((birthday_month is null) = (birthday_day is null)
        and (birthday_month is null or (birthday_month between 1 and 12 and birthday_day between 1 and
             case when birthday_month = 2 then 29 when birthday_month in (4, 6, 9, 11) then 30 else 31 end))
        and (birthday is null or (birthday_month = extract(month from birthday) and birthday_day = extract(day from birthday))));