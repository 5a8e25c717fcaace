import { describe, expect, it } from "vitest";
import { formatDate, formatInstant } from "@/lib/format";

describe("formatDate", () => {
  const at = new Date("2024-10-14T23:30:00Z");

  it("writes a date as precisely as it is known, in UTC", () => {
    expect(formatDate(at, "year")).toBe("2024");
    expect(formatDate(at, "month")).toBe("October 2024");
    expect(formatDate(at, "day")).toBe("14 Oct 2024");
    expect(formatDate(at, "time")).toBe("14 Oct 2024, 23:30 UTC");
  });

  it("does not move a date across midnight, whatever the server's time zone", () => {
    expect(formatDate(new Date("2024-12-31T23:59:00Z"), "year")).toBe("2024");
    expect(formatDate(new Date("2025-01-01T00:00:00Z"), "day")).toBe("1 Jan 2025");
  });

  it("gives the time of an instant unless it falls at midnight", () => {
    expect(formatInstant(new Date("2024-10-15T00:00:00Z"))).toBe("15 Oct 2024");
    expect(formatInstant(new Date("2024-10-15T09:05:00Z"))).toBe("15 Oct 2024, 09:05 UTC");
  });
});
