import type { Metadata } from "next";
import Link from "next/link";
import { editorOrSignIn } from "@/lib/auth/web";
import { formatInstant } from "@/lib/format";
import { readOutletList } from "@/lib/outlets";
import { readDiscoveredDocuments, readFeedWatches, readWatchProblems, type WatchProblem } from "@/lib/watch";
import { watchFeedAction } from "../actions";
import { ActionForm, Field } from "../components/form";

export const metadata: Metadata = { title: "Watches" };

const when = (date: Date | null) => (date ? formatInstant(date) : "never");

function Problem({ watch }: { watch: WatchProblem }) {
  const label = watch.kind === "feed" ? `Feed ${watch.url}` : (watch.title ?? watch.url);
  return (
    <li>
      {watch.documentId ? <Link href={`/editor/documents/${watch.documentId}`}>{label}</Link> : label}{" "}
      <span className="meta">
        · {watch.enabled ? `failing: ${watch.failures} in a row` : "paused"} · last success {when(watch.lastSuccessAt)}
      </span>
      {watch.pausedReason && <p className="meta">{watch.pausedReason}</p>}
    </li>
  );
}

export default async function Watches() {
  await editorOrSignIn("/editor/watches");
  const [problems, feeds, discovered, outlets] = await Promise.all([readWatchProblems(), readFeedWatches(), readDiscoveredDocuments(), readOutletList()]);
  const byOutlet = new Map<string, WatchProblem[]>();
  for (const p of problems) {
    const name = p.outlet?.name ?? "No outlet";
    byOutlet.set(name, [...(byOutlet.get(name) ?? []), p]);
  }
  return (
    <>
      <h1>Watches</h1>
      <section aria-labelledby="problems">
        <h2 id="problems">Paused or failing</h2>
        {problems.length === 0 ? (
          <p className="meta">Every watch is checking as planned.</p>
        ) : (
          [...byOutlet].map(([outlet, list]) => (
            <section key={outlet} aria-label={outlet}>
              <h3>{outlet}</h3>
              <ul>
                {list.map((w) => (
                  <Problem key={w.id} watch={w} />
                ))}
              </ul>
            </section>
          ))
        )}
      </section>

      <section aria-labelledby="feeds">
        <h2 id="feeds">Outlets&apos; feeds</h2>
        <p>New articles in a watched feed become documents, listed below for you to look at, and are watched themselves.</p>
        <ul>
          {feeds.map((f) => (
            <li key={f.id}>
              {f.outlet.name}: {f.url} <span className="meta">· {f.enabled ? "watched" : "paused"} · last read {when(f.lastSuccessAt)}</span>
            </li>
          ))}
        </ul>
        <ActionForm action={watchFeedAction} submit="Watch feed" label="Watch an outlet's feed">
          <Field name="outlet" label="Outlet" type="select" required options={[{ value: "", label: "Choose an outlet" }, ...outlets.map((o) => ({ value: o.slug, label: o.name }))]} />
          <Field name="feedUrl" label="Feed URL" type="url" required hint="Its RSS or Atom feed, e.g. https://example.com/feed.xml" />
        </ActionForm>
      </section>

      <section aria-labelledby="discovered">
        <h2 id="discovered">Found in feeds</h2>
        {discovered.length === 0 ? (
          <p className="meta">Nothing yet.</p>
        ) : (
          <ul>
            {discovered.map((d) => (
              <li key={d.id}>
                <Link href={`/editor/documents/${d.id}`}>{d.title}</Link> <span className="meta">· {d.outlet.name} · found {when(d.discoveredAt)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
