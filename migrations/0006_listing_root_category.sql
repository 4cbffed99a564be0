-- Listings remember the top-level category above their subcategory (the app writes it with category_id).
ALTER TABLE "listings" ADD COLUMN "root_category_id" integer;--> statement-breakpoint
WITH RECURSIVE lineage AS (
  SELECT id, id AS root_id FROM categories WHERE parent_id IS NULL
  UNION ALL
  SELECT c.id, l.root_id FROM categories c JOIN lineage l ON c.parent_id = l.id
)
UPDATE "listings" SET "root_category_id" = lineage.root_id FROM lineage WHERE lineage.id = listings.category_id;--> statement-breakpoint
ALTER TABLE "listings" ALTER COLUMN "root_category_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "listings" ADD CONSTRAINT "listings_root_category_id_categories_id_fk" FOREIGN KEY ("root_category_id") REFERENCES "public"."categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "listings_active_root_category_idx" ON "listings" USING btree ("root_category_id","published_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE status = 'active';
