-- A category's name is part of its listings' search documents (weight C, docs/search.md): renaming a
-- category, or moving it under another parent, rewrites the names of the listings filed under it and
-- under its subcategories. Their generated document follows, and listings_search_sync copies it into
-- listing_search in the same transaction. The names are suggestions too: the vocabulary is marked due.
CREATE OR REPLACE FUNCTION category_names_refresh() RETURNS trigger
LANGUAGE plpgsql
SET search_path = public, pg_catalog
AS $$
BEGIN
  UPDATE listings l SET category_names = concat_ws(' ', c.name, p.name)
    FROM categories c LEFT JOIN categories p ON p.id = c.parent_id
   WHERE l.category_id = c.id AND (c.id = NEW.id OR c.parent_id = NEW.id)
     AND l.category_names IS DISTINCT FROM concat_ws(' ', c.name, p.name);
  UPDATE search_vocabulary_state SET built_at = 'epoch' WHERE id = 1;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER categories_search_names AFTER UPDATE OF name, parent_id ON categories
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.parent_id IS DISTINCT FROM NEW.parent_id)
  EXECUTE FUNCTION category_names_refresh();
--> statement-breakpoint
-- Search statements are short: parallel workers cost more to start than they save, and under
-- concurrent load they multiply the latency (docs/search.md, Performance).
ALTER TABLE listing_search SET (parallel_workers = 0);--> statement-breakpoint
-- What the search box compares a typed prefix with: the phrase without the leading "i will " every
-- title has (buyers type "logo design", not "i will design a logo"); the typed text gets the same.
CREATE OR REPLACE FUNCTION suggestion_key(phrase text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = public, pg_catalog
AS $$ SELECT regexp_replace(phrase, '^i will ', '') $$;--> statement-breakpoint
DROP INDEX "search_suggestions_prefix_idx";--> statement-breakpoint
CREATE INDEX "search_suggestions_completion_idx" ON "search_suggestions" USING btree (suggestion_key("phrase") text_pattern_ops,"weight");