ALTER TYPE "public"."channel" ADD VALUE 'whatsapp';--> statement-breakpoint
ALTER TYPE "public"."channel" ADD VALUE 'push';--> statement-breakpoint
ALTER TYPE "public"."channel" ADD VALUE 'in_app';--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "category" text;