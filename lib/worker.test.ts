import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { atMostEvery } from "@/lib/worker";

describe("asking at most once a second", () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());
  const wait = (ms: number) => vi.advanceTimersByTime(ms);
  /** An asker that records when it ran, in the fake clock's milliseconds. */
  const recorded = () => {
    const asked: number[] = [];
    return { asked, ask: atMostEvery(1000, () => asked.push(Date.now())) };
  };

  it("asks at once after a quiet second, once more for the calls that came during it, and never for nothing", () => {
    const { asked, ask } = recorded();
    ask();
    expect(asked).toEqual([0]);
    // A burst within the second: one more ask, at its end.
    wait(100);
    ask();
    wait(300);
    ask();
    wait(599);
    ask();
    expect(asked).toEqual([0]);
    wait(1);
    expect(asked).toEqual([0, 1000]);
    // Nothing came since: nothing more is asked.
    wait(5000);
    expect(asked).toEqual([0, 1000]);
    // A call after a quiet second is asked for at once.
    ask();
    expect(asked).toEqual([0, 1000, 6000]);
  });

  it("follows a call just after an ask with another within the second", () => {
    const { asked, ask } = recorded();
    ask();
    wait(10);
    ask();
    wait(989);
    expect(asked).toEqual([0]);
    wait(1);
    expect(asked).toEqual([0, 1000]);
  });

  it("asks nothing more once cancelled", () => {
    const { asked, ask } = recorded();
    ask();
    wait(500);
    ask();
    ask.cancel();
    wait(5000);
    expect(asked).toEqual([0]);
  });
});
