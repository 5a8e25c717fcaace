-- Claims' terms go into the full-text index through its pending list again, up to 1 MB, which the
-- write that fills it (or autovacuum) merges into the index in one sorted pass. Written straight
-- in (migration 0007), every claim updated the index once for each of its words: 5,000 claims of
-- the bench's varied wording took 640–665 ms to insert, against 186–220 ms this way and 127 ms
-- with no index at all. A search also reads what is pending: with the list nearly full (2,922
-- claims) the claim-matching query took 3.6–3.8 ms instead of 0.8–1.3 ms.
ALTER INDEX "claim_revisions_search_idx" SET (fastupdate = on, gin_pending_list_limit = 1024);
