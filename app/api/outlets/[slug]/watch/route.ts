import { endpoint, json, pathParam } from "@/lib/http";
import { feedWatchInput, slugParam } from "@/lib/validation";
import { watchOutletFeed, watchView } from "@/lib/watch";

export const POST = endpoint(
  { summary: "Watch the outlet's RSS or Atom feed: its new articles become documents, marked as discovered, and are watched", auth: "write", params: { slug: pathParam(slugParam, "The outlet") }, body: feedWatchInput },
  async ({ db, actor, params, body }) => {
    const { watch, outlet } = await watchOutletFeed(db, actor, params.slug, body.feedUrl);
    return json({ watch: { ...watchView(watch), outlet: outlet.slug, feedUrl: watch.url } });
  },
);
