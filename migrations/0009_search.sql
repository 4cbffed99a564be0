-- Search (issue 17, docs/search.md). The document gains the category names (weight C) and the
-- description drops to D; the names come from a trigger, since a generated column cannot read another table.
CREATE OR REPLACE FUNCTION listing_search_document(title text, tags text[], category_names text, description text)
RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = public, pg_catalog
AS $$
  SELECT setweight(to_tsvector('english', unaccent('unaccent', coalesce(title, ''))), 'A')
      || setweight(to_tsvector('english', unaccent('unaccent', coalesce(array_to_string(tags, ' '), ''))), 'B')
      || setweight(to_tsvector('english', unaccent('unaccent', coalesce(category_names, ''))), 'C')
      || setweight(to_tsvector('english', unaccent('unaccent', left(coalesce(description, ''), 20000))), 'D')
$$;--> statement-breakpoint
CREATE TABLE "search_suggestions" (
	"phrase" text NOT NULL,
	"kind" text NOT NULL,
	"weight" integer NOT NULL,
	CONSTRAINT "search_suggestions_phrase_kind_pk" PRIMARY KEY("phrase","kind")
);
--> statement-breakpoint
CREATE TABLE "search_synonyms" (
	"term" text NOT NULL,
	"synonym" text NOT NULL,
	CONSTRAINT "search_synonyms_term_synonym_pk" PRIMARY KEY("term","synonym"),
	CONSTRAINT "search_synonyms_distinct" CHECK ("search_synonyms"."term" <> "search_synonyms"."synonym")
);
--> statement-breakpoint
CREATE TABLE "search_vocabulary_state" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"built_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "search_vocabulary_state_single" CHECK ("search_vocabulary_state"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "search_words" (
	"word" text PRIMARY KEY NOT NULL,
	"listings" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "category_names" text DEFAULT '' NOT NULL;--> statement-breakpoint
-- The category's name and its parent's, kept by the database whenever a listing is written with a category.
CREATE OR REPLACE FUNCTION listing_category_names() RETURNS trigger
LANGUAGE plpgsql
SET search_path = public, pg_catalog
AS $$
BEGIN
  SELECT concat_ws(' ', c.name, p.name) INTO NEW.category_names
    FROM categories c LEFT JOIN categories p ON p.id = c.parent_id
   WHERE c.id = NEW.category_id;
  NEW.category_names := coalesce(NEW.category_names, '');
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER listings_category_names BEFORE INSERT OR UPDATE OF category_id ON listings
  FOR EACH ROW EXECUTE FUNCTION listing_category_names();--> statement-breakpoint
UPDATE listings l SET category_names = concat_ws(' ', c.name, p.name)
  FROM categories c LEFT JOIN categories p ON p.id = c.parent_id
 WHERE c.id = l.category_id;--> statement-breakpoint
ALTER TABLE "listings" DROP COLUMN "search";--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "search" "tsvector" GENERATED ALWAYS AS (listing_search_document(title, tags, category_names, description)) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "listings_search_idx" ON "listings" USING gin ("search") WHERE status = 'active';--> statement-breakpoint
DROP FUNCTION listing_search_document(text, text[], text);--> statement-breakpoint
CREATE INDEX "search_suggestions_trgm_idx" ON "search_suggestions" USING gist ("phrase" gist_trgm_ops);--> statement-breakpoint
CREATE INDEX "search_suggestions_prefix_idx" ON "search_suggestions" USING btree ("phrase" text_pattern_ops,"weight");--> statement-breakpoint
CREATE INDEX "search_synonyms_synonym_idx" ON "search_synonyms" USING btree ("synonym");--> statement-breakpoint
CREATE INDEX "search_words_trgm_idx" ON "search_words" USING gist ("word" gist_trgm_ops);--> statement-breakpoint
CREATE INDEX "search_words_prefix_idx" ON "search_words" USING btree ("word" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "listings_updated_idx" ON "listings" USING btree ("updated_at");;--> statement-breakpoint
INSERT INTO search_synonyms (term, synonym) VALUES
  ('seo', 'search engine optimization'), ('website', 'web site'), ('logo', 'brand mark');--> statement-breakpoint
INSERT INTO search_vocabulary_state (id, built_at) VALUES (1, 'epoch');
