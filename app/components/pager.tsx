import Link from "next/link";

export { pageOf } from "@/lib/paging";

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
