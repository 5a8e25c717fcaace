import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { Diff, DiffLayoutSwitch, type DiffLayout } from "@/app/components/diff";
import { orNotFound } from "@/app/components/load";
import { QueryProblems } from "@/app/components/problems";
import { hrefWith, readSearchParams, type SearchParams } from "@/app/components/query";
import { When } from "@/app/components/status";
import { versionOrigin, WatchStatus } from "@/app/components/watch-status";
import { diffWords } from "@/lib/diff/words";
import { formatInstant, hostLabel, plural, truncate } from "@/lib/format";
import { readDocument } from "@/lib/documents";
import { readDocumentWatch } from "@/lib/watch";
import { documentPageQuery, id as idSchema } from "@/lib/validation";

type Props = { params: Promise<{ id: string }>; searchParams: SearchParams };

const parseId = (raw: string) => {
  const parsed = idSchema.safeParse(raw);
  if (!parsed.success || !/^\d+$/.test(raw)) notFound();
  return parsed.data;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const doc = await orNotFound(readDocument(parseId((await params).id)));
  const path = `/documents/${doc.id}`;
  const description = truncate(`${doc.outlet.name}: “${doc.title}”, with ${plural(doc.versions.length, "stored version")} and what changed between them.`, 200);
  return {
    title: truncate(doc.title, 70),
    description,
    alternates: { canonical: path },
    openGraph: { type: "article", title: doc.title, description, url: path },
  };
}

export default async function DocumentPage({ params, searchParams }: Props) {
  await connection();
  const id = parseId((await params).id);
  const [doc, watched] = await orNotFound(Promise.all([readDocument(id), readDocumentWatch(id)]));
  const { data: query, problems } = await readSearchParams(searchParams, documentPageQuery);
  const layout: DiffLayout = query.layout ?? "inline";
  const path = `/documents/${doc.id}`;
  const versions = doc.versions;
  return (
    <article className="document">
      <header className="page-head">
        <p className="kicker">Document</p>
        <h1>{doc.title}</h1>
        <p className="meta">
          <Link href={`/outlets/${doc.outlet.slug}`}>{doc.outlet.name}</Link>
          {doc.authors.length > 0 && <>, by {doc.authors.join(", ")}</>} · published <When date={doc.publishedAt} precision={doc.precision} /> · {doc.kind}
          {doc.url && (
            <>
              {" · "}
              <a href={doc.url} rel="external noopener">
                the original at {hostLabel(doc.url)}
              </a>
            </>
          )}
        </p>
      </header>
      <QueryProblems problems={problems} fallback="Showing inline diffs." />
      <WatchStatus watch={watched.watch} />
      <section aria-labelledby="versions">
        <h2 id="versions">{plural(versions.length, "stored version")}</h2>
        {versions.length === 0 && <p className="meta">Claimtrail has not stored the text of this document.</p>}
        {versions.length > 1 && <DiffLayoutSwitch current={layout} hrefFor={(l) => hrefWith(path, { layout: l === "inline" ? undefined : l })} />}
        <ol className="versions">
          {versions.map((v, i) => {
            const prev = versions[i - 1];
            return (
              <li key={v.id} id={`version-${v.id}`}>
                <h3>
                  Version {i + 1}{" "}
                  <span className="meta">
                    · seen {formatInstant(v.seenAt)} · {versionOrigin(v)}
                  </span>
                </h3>
                {v.note && <p>{v.note}</p>}
                {prev && (
                  <Diff
                    ops={diffWords(prev.text, v.text)}
                    layout={layout}
                    before={`Version ${i}, ${formatInstant(prev.seenAt)}`}
                    after={`Version ${i + 1}, ${formatInstant(v.seenAt)}`}
                    caption={`What changed from version ${i}`}
                  />
                )}
                <details className="full-text">
                  <summary>Full text of version {i + 1}</summary>
                  <div className="document-text">
                    {v.text.split(/\n\s*\n/).map((para, k) => (
                      <p key={k}>{para}</p>
                    ))}
                  </div>
                </details>
              </li>
            );
          })}
        </ol>
      </section>
    </article>
  );
}
