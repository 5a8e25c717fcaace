import { formatInstant, plural } from "@/lib/format";
import type { DocumentWatch } from "@/lib/watch";

const every = (minutes: number) => (minutes % 60 === 0 ? `every ${plural(minutes / 60, "hour")}` : `every ${plural(minutes, "minute")}`);

/** Whether Claimtrail watches a document, how often it was checked, and when last and next. */
export function WatchStatus({ watch }: DocumentWatch) {
  if (!watch) return <p className="meta">Claimtrail does not check this page for changes: its versions were added by editors.</p>;
  const checked = watch.checks > 0 && watch.lastCheckedAt ? <>Checked {plural(watch.checks, "time")}, last on {formatInstant(watch.lastCheckedAt)}.</> : <>Not checked yet.</>;
  if (!watch.enabled) {
    return (
      <p className="meta">
        Claimtrail is not checking this page now. {watch.pausedReason} {checked}
      </p>
    );
  }
  return (
    <p className="meta">
      Claimtrail checks this page for changes {watch.everyMinutes ? every(watch.everyMinutes) : "often while it is new or just changed, and less often as it ages"}. {checked}
      {watch.nextCheckAt && <> Next check around {formatInstant(watch.nextCheckAt)}.</>}
      {watch.failures > 0 && <> The last {plural(watch.failures, "check")} failed.</>}
    </p>
  );
}

/** Where a version came from: the watcher, or an editor. */
export const versionOrigin = (version: { captureId: number | null }) => (version.captureId !== null ? "found by the watcher" : "added by an editor");
