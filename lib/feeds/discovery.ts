/** The feed links a page announces for autodiscovery, in Next's metadata shape. */
export function feedAlternates(basePath: string, title: string) {
  const base = basePath.replace(/\/$/, "");
  return {
    types: {
      "application/rss+xml": [{ url: `${base}/feed.xml`, title: `${title} (RSS)` }],
      "application/atom+xml": [{ url: `${base}/feed.atom`, title: `${title} (Atom)` }],
      "application/feed+json": [{ url: `${base}/feed.json`, title: `${title} (JSON Feed)` }],
    },
  };
}
