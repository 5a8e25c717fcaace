-- Full-text search. Each index is over the exact expression lib/search.ts matches against, so
-- the planner can use it; change one and the other must change with it.
CREATE INDEX claim_revisions_search_idx ON claim_revisions
  USING gin (to_tsvector('english'::regconfig, text || ' ' || coalesce(quote, '')));
--> statement-breakpoint
CREATE INDEX stories_search_idx ON stories
  USING gin (to_tsvector('english'::regconfig, title || ' ' || coalesce(summary, '')));
--> statement-breakpoint
CREATE INDEX outlets_search_idx ON outlets
  USING gin (to_tsvector('english'::regconfig, name));
