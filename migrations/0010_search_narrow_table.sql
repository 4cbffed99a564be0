-- Search reads a narrow copy of each active listing (docs/search.md, Performance): matching, ranking and
-- facets scan these rows (about a third of a listings row) instead of the wide listings row.
CREATE TABLE "listing_search" (
	"id" uuid PRIMARY KEY NOT NULL,
	"search" "tsvector" NOT NULL,
	"category_id" integer NOT NULL,
	"root_category_id" integer NOT NULL,
	"starting_price" integer NOT NULL,
	"min_delivery_days" smallint NOT NULL,
	"rating_avg" numeric(3, 2) NOT NULL,
	"published_at" timestamp (3) with time zone NOT NULL,
	"quality" double precision NOT NULL
);
--> statement-breakpoint
ALTER TABLE "listing_search" ADD CONSTRAINT "listing_search_id_listings_id_fk" FOREIGN KEY ("id") REFERENCES "public"."listings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "listing_search_search_idx" ON "listing_search" USING gin ("search");--> statement-breakpoint
CREATE INDEX "listing_search_category_idx" ON "listing_search" USING btree ("category_id");--> statement-breakpoint
CREATE INDEX "listing_search_root_category_idx" ON "listing_search" USING btree ("root_category_id");--> statement-breakpoint
CREATE INDEX "listing_search_new_idx" ON "listing_search" USING btree ("published_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "listing_search_price_idx" ON "listing_search" USING btree ("starting_price","id");--> statement-breakpoint
CREATE INDEX "listing_search_rating_idx" ON "listing_search" USING btree ("rating_avg" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
-- Quality in [0, 1] (docs/search.md, Ranking): rating discounted while reviews are few, completed orders,
-- review count, each saturating.
CREATE OR REPLACE FUNCTION listing_quality(rating_avg numeric, rating_count integer, completed_orders integer)
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = public, pg_catalog
AS $$
  SELECT 0.5 * (rating_avg / 5) * (rating_count / (rating_count + 5.0))
       + 0.3 * least(1, ln(1 + completed_orders) / ln(1001))
       + 0.2 * least(1, ln(1 + rating_count) / ln(501))
$$;--> statement-breakpoint
-- Kept in the writing transaction: an active listing has its row (rewritten only when a copied value
-- changed), any other status has none.
CREATE OR REPLACE FUNCTION listing_search_sync() RETURNS trigger
LANGUAGE plpgsql
SET search_path = public, pg_catalog
AS $$
BEGIN
  IF NEW.status = 'active' THEN
    INSERT INTO listing_search AS s (id, search, category_id, root_category_id, starting_price, min_delivery_days, rating_avg, published_at, quality)
    VALUES (NEW.id, NEW.search, NEW.category_id, NEW.root_category_id, NEW.starting_price, NEW.min_delivery_days, NEW.rating_avg,
            NEW.published_at, listing_quality(NEW.rating_avg, NEW.rating_count, NEW.completed_orders))
    ON CONFLICT (id) DO UPDATE SET search = excluded.search, category_id = excluded.category_id,
      root_category_id = excluded.root_category_id, starting_price = excluded.starting_price,
      min_delivery_days = excluded.min_delivery_days, rating_avg = excluded.rating_avg,
      published_at = excluded.published_at, quality = excluded.quality
    WHERE (s.*) IS DISTINCT FROM (excluded.*);
  ELSIF TG_OP = 'UPDATE' AND OLD.status = 'active' THEN
    DELETE FROM listing_search WHERE id = NEW.id;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER listings_search_sync AFTER INSERT OR UPDATE ON listings
  FOR EACH ROW EXECUTE FUNCTION listing_search_sync();--> statement-breakpoint
INSERT INTO listing_search (id, search, category_id, root_category_id, starting_price, min_delivery_days, rating_avg, published_at, quality)
SELECT id, search, category_id, root_category_id, starting_price, min_delivery_days, rating_avg, published_at,
       listing_quality(rating_avg, rating_count, completed_orders)
  FROM listings WHERE status = 'active';