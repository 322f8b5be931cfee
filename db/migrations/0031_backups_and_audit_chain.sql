ALTER TYPE "public"."backup_status" ADD VALUE 'expired';--> statement-breakpoint
CREATE INDEX "audit_log_workspace_id_idx" ON "audit_log" USING btree ("workspace_id","id");