-- Extensions the schema relies on (all available on Neon).
CREATE EXTENSION IF NOT EXISTS citext;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS unaccent;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pgcrypto;--> statement-breakpoint
-- The weighted search document of a listing (title > tags > description), accent-insensitive.
-- Declared IMMUTABLE so a generated column can use it: the unaccent dictionary is fixed for this database.
CREATE OR REPLACE FUNCTION listing_search_document(title text, tags text[], description text)
RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = public, pg_catalog
AS $$
  SELECT setweight(to_tsvector('english', unaccent('unaccent', coalesce(title, ''))), 'A')
      || setweight(to_tsvector('english', unaccent('unaccent', coalesce(array_to_string(tags, ' '), ''))), 'B')
      || setweight(to_tsvector('english', unaccent('unaccent', left(coalesce(description, ''), 20000))), 'C')
$$;
