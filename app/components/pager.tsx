import Link from "next/link";

/** The page of `items` a reader asked for, kept within the pages there are. */
export function pageOf<T>(items: T[], requested: number | undefined, size: number) {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const page = Math.min(requested ?? 1, pages);
  return { page, pages, shown: items.slice((page - 1) * size, page * size) };
}

/** Links to the neighbouring pages of a long list, with where the reader is in it. */
export function Pager({ label, page, pages, href, previous, next }: { label: string; page: number; pages: number; href: (page: number) => string; previous: string; next: string }) {
  if (pages <= 1) return null;
  return (
    <nav aria-label={label} className="pager">
      {page > 1 && (
        <Link href={href(page - 1)} rel="prev">
          {previous}
        </Link>
      )}{" "}
      <span className="meta">
        Page {page} of {pages}
      </span>{" "}
      {page < pages && (
        <Link href={href(page + 1)} rel="next">
          {next}
        </Link>
      )}
    </nav>
  );
}
