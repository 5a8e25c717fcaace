-- A story's outline (every claim's dates, question, outlet and revision as known at a date) read
-- from two indexes alone: the claims' by story, widened with the columns it reads, and one on
-- revisions that carries their dates and relays. On the bench's 10,000-claim story its statement
-- took 74 ms through the rows and 50 ms this way (means of 25, after a vacuum).
DROP INDEX "claims_story_asserted_idx";--> statement-breakpoint
CREATE INDEX "claim_revisions_known_idx" ON "claim_revisions" USING btree ("claim_id","revision","created_at","relays_claim_id");--> statement-breakpoint
CREATE INDEX "claims_story_asserted_idx" ON "claims" USING btree ("story_id","asserted_at","id","question_id","created_at","document_id");