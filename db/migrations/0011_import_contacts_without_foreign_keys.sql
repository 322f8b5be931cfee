ALTER TABLE "import_contacts" DROP CONSTRAINT "import_contacts_import_id_imports_id_fk";
--> statement-breakpoint
ALTER TABLE "import_contacts" DROP CONSTRAINT "import_contacts_contact_id_contacts_id_fk";
--> statement-breakpoint
CREATE INDEX "import_contacts_contact_idx" ON "import_contacts" USING btree ("contact_id");--> statement-breakpoint
-- What the two cascades did, once per statement instead of a check per inserted row: a deleted
-- import or contact (directly, or with its workspace) takes its import_contacts rows with it.
CREATE OR REPLACE FUNCTION import_contacts_forget_imports() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM import_contacts ic USING gone g WHERE ic.import_id = g.id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER imports_forget_import_contacts AFTER DELETE ON imports
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION import_contacts_forget_imports();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION import_contacts_forget_contacts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM import_contacts ic USING gone g WHERE ic.contact_id = g.id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER contacts_forget_import_contacts AFTER DELETE ON contacts
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION import_contacts_forget_contacts();
