import { describe, expect, it } from "vitest";
import { formatCompact, formatDateTime, formatDuration, formatMinutes, formatRelative, formatShare, humanize, plural, withArticle } from "./format";

describe("dashboard formatting", () => {
  it("shows instants in UTC to the minute, and a dash for none", () => {
    expect(formatDateTime(new Date("2026-11-22T20:41:59.999Z"))).toBe("2026-11-22 20:41 UTC");
    expect(formatDateTime(null)).toBe("—");
  });

  it("says how far an instant is from now, in both directions", () => {
    const now = new Date("2026-01-01T12:00:00Z");
    expect(formatRelative(new Date("2026-01-01T11:57:00Z"), now)).toBe("3 min ago");
    expect(formatRelative(new Date("2026-01-01T14:00:00Z"), now)).toBe("in 2 h");
    expect(formatRelative(new Date("2025-12-29T12:00:00Z"), now)).toBe("3 d ago");
    expect(formatRelative(new Date("2026-01-01T12:00:20Z"), now)).toBe("just now");
  });

  it("names frequencies in the largest whole unit", () => {
    expect(formatMinutes(5)).toBe("5 minutes");
    expect(formatMinutes(60)).toBe("1 hour");
    expect(formatMinutes(90)).toBe("90 minutes");
    expect(formatMinutes(20_160)).toBe("14 days");
  });

  it("measures durations only once both ends exist", () => {
    const start = new Date("2026-01-01T00:00:00Z");
    expect(formatDuration(start, new Date("2026-01-01T01:04:00Z"))).toBe("1 h 4 min");
    expect(formatDuration(start, new Date("2026-01-01T00:00:12Z"))).toBe("12 s");
    expect(formatDuration(start, null)).toBe("—");
  });

  it("turns enum values into words", () => {
    expect(humanize("NEEDS_UPDATE")).toBe("Needs update");
    expect(humanize("historical_batch")).toBe("Historical batch");
    expect(plural(1, "batch", "batches")).toBe("1 batch");
    expect(plural(1200, "month")).toBe("1,200 months");
  });

  it("shows a share as a percentage that reads 0% or 100% only when it is exactly that", () => {
    expect([0, 0.004, 0.5, 2 / 3, 0.996, 1].map(formatShare)).toEqual(["0%", "1%", "50%", "67%", "99%", "100%"]);
  });
});

describe("withArticle", () => {
  it("says an before a vowel and a before a consonant", () => {
    expect(withArticle("accounting")).toBe("an accounting");
    expect(withArticle("other")).toBe("an other");
    expect(withArticle("commerce")).toBe("a commerce");
    expect(withArticle("ticketing")).toBe("a ticketing");
  });

  it("shortens counts for a chart's axis, which has room for a few characters", () => {
    expect([950, 36_000, 36_649, 1_250_000].map(formatCompact)).toEqual(["950", "36K", "36.6K", "1.3M"]);
  });
});
