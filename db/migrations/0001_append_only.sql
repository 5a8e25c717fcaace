-- History tables only ever grow: an edit is a new row, never a changed one.
CREATE FUNCTION claimtrail_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION claimtrail_refuse_change();
--> statement-breakpoint
CREATE TRIGGER document_versions_append_only BEFORE UPDATE OR DELETE ON document_versions
  FOR EACH ROW EXECUTE FUNCTION claimtrail_refuse_change();
--> statement-breakpoint
CREATE TRIGGER claim_revisions_append_only BEFORE UPDATE OR DELETE ON claim_revisions
  FOR EACH ROW EXECUTE FUNCTION claimtrail_refuse_change();
