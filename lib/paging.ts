/** The page of `items` a reader asked for, kept within the pages there are. */
export function pageOf<T>(items: T[], requested: number | undefined, size: number) {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const page = Math.min(requested ?? 1, pages);
  return { page, pages, shown: items.slice((page - 1) * size, page * size) };
}
