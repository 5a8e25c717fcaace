import { describe, expect, it } from "vitest";
import type { LinkKind } from "@/db/schema";
import type { Clock } from "./clock";
import { deriveStatuses, isContested, rankAnswers, type ClaimTimes, type Edge } from "./status";

const day = (d: number) => new Date(Date.UTC(2024, 9, d));
const logged = day(30);
const now: Clock = { asOf: day(31), knownAt: day(31) };

const claim = (id: number, published: number, relays: number | null = null): ClaimTimes => ({ id, assertedAt: day(published), createdAt: logged, relaysClaimId: relays, questionId: 1 });

let nextId = 1;
function link(kind: LinkKind, from: ClaimTimes, to: ClaimTimes, effective = from.assertedAt, loggedAt = logged): Edge {
  return {
    id: nextId++,
    kind,
    fromClaimId: from.id,
    toClaimId: to.id,
    effectiveAt: effective,
    createdAt: loggedAt,
    fromAssertedAt: from.assertedAt,
    fromCreatedAt: from.createdAt,
    toAssertedAt: to.assertedAt,
    toCreatedAt: to.createdAt,
    note: null,
  };
}

describe("status, derived from the links in force", () => {
  const a = claim(1, 1);
  const b = claim(2, 2);
  const c = claim(3, 3);

  it("is standing with no links, confirmed when confirmed", () => {
    const s = deriveStatuses([a, b], [link("confirms", b, a)], now);
    expect(s.get(1)).toMatchObject({ status: "confirmed" });
    expect(s.get(2)).toMatchObject({ status: "standing", causes: [] });
  });

  it("ranks retracted over corrected over disputed over confirmed", () => {
    const edges = [link("confirms", b, a), link("contradicts", c, a), link("supersedes", b, a)];
    expect(deriveStatuses([a, b, c], edges, now).get(1)?.status).toBe("corrected");
    expect(deriveStatuses([a, b, c], [...edges, link("retracts", c, a)], now).get(1)?.status).toBe("retracted");
    expect(deriveStatuses([a, b, c], [link("confirms", b, a), link("contradicts", c, a)], now).get(1)?.status).toBe("disputed");
  });

  it("is not disputed by a claim that was itself corrected or retracted", () => {
    const d = claim(4, 4);
    const edges = [link("contradicts", b, a), link("retracts", d, b)];
    expect(deriveStatuses([a, b, d], edges, now).get(1)?.status).toBe("standing");
    expect(deriveStatuses([a, b, d], edges, { ...now, asOf: day(3) }).get(1)?.status).toBe("disputed");
  });

  it("follows both clocks: publication (asOf) and logging (knownAt)", () => {
    const late = link("corrects", c, a, day(3), day(31));
    const clock = (asOf: number, knownAt: Date): Clock => ({ asOf: day(asOf), knownAt });
    expect(deriveStatuses([a, c], [late], clock(2, day(31))).get(1)?.status).toBe("standing");
    expect(deriveStatuses([a, c], [late], clock(5, day(31))).get(1)?.status).toBe("corrected");
    expect(deriveStatuses([a, c], [late], clock(5, day(30))).get(1)?.status).toBe("standing");
  });

  it("honours a link's own effective date", () => {
    const backdated = link("corrects", c, a, day(2));
    expect(deriveStatuses([a, c], [backdated], { ...now, asOf: day(2) }).get(1)?.status).toBe("standing");
  });

  it("flags a relay whose origin, anywhere up the chain, fell", () => {
    const relay = claim(5, 2, 1);
    const relayOfRelay = claim(6, 3, 5);
    const s = deriveStatuses([a, relay, relayOfRelay, c], [link("corrects", c, a)], now);
    expect(s.get(5)?.relayOf).toEqual({ claimId: 1, status: "corrected" });
    expect(s.get(6)?.relayOf).toEqual({ claimId: 1, status: "corrected" });
    expect(s.get(6)?.status).toBe("standing");
  });

  it("ranks answers confirmed, standing, disputed, newest first, leaving out the fallen", () => {
    const answers = rankAnswers([
      { id: 1, assertedAt: day(1), status: "standing" as const },
      { id: 2, assertedAt: day(2), status: "standing" as const },
      { id: 3, assertedAt: day(1), status: "confirmed" as const },
      { id: 4, assertedAt: day(5), status: "disputed" as const },
      { id: 5, assertedAt: day(6), status: "corrected" as const },
      { id: 6, assertedAt: day(7), status: "retracted" as const },
    ]);
    expect(answers.map((x) => x.id)).toEqual([3, 2, 1, 4]);
  });

  it("calls a question contested only while two remaining claims contradict each other", () => {
    const edges = [link("contradicts", b, a)];
    expect(isContested(new Set([1, 2]), edges, now)).toBe(true);
    expect(isContested(new Set([2]), edges, now)).toBe(false);
    expect(isContested(new Set([1, 2]), edges, { ...now, asOf: day(1) })).toBe(false);
  });
});
