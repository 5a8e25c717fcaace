/** The two clocks: what had been published by `asOf`, as Claimtrail knew it at `knownAt`. */
export type Clock = { asOf: Date; knownAt: Date };

/** A clock as a request gives it: either time may be left out, meaning now. */
export type ClockQuery = { asOf?: Date; knownAt?: Date };

export const clockFrom = (q: ClockQuery, now = new Date()): Clock => ({ asOf: q.asOf ?? now, knownAt: q.knownAt ?? now });

/** The clock in a cache key: "now" stays "now", so reads of the present share one entry until the next write. */
export const clockKey = (q: ClockQuery): string => `${q.asOf?.toISOString() ?? "now"}|${q.knownAt?.toISOString() ?? "now"}`;
