import { linkKindEnum, type LinkKind } from "@/db/schema";
import { FEED_KINDS, type FeedKind, type FeedQuery } from "@/lib/validation";

/** The filter in force: every kind when none was named. */
export type FeedFilter = { kinds: FeedKind[]; limit: number; filtered: boolean };

export function feedFilter(query: FeedQuery): FeedFilter {
  return { kinds: query.kinds ?? [...FEED_KINDS], limit: query.limit, filtered: query.kinds !== undefined && query.kinds.length < FEED_KINDS.length };
}

export const linkKindsOf = (filter: FeedFilter): LinkKind[] => filter.kinds.filter((k): k is LinkKind => (linkKindEnum.enumValues as readonly string[]).includes(k));
