// The delivery policy with a fake clock: each status-code rule, the schedule with its jitter bounds,
// Retry-After, exhaustion, and the five-day auto-disable.
import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_SCHEDULE, nextAttemptAt, shouldDisable, verdict } from "./policy";

const now = Date.parse("2026-11-22T12:00:00Z");

describe("the delivery policy", () => {
  it("applies each status-code rule", () => {
    expect(verdict({ status: 200 })).toBe("succeeded");
    expect(verdict({ status: 204 })).toBe("succeeded");
    expect(verdict({ status: 301 })).toBe("retry"); // redirects are failures
    expect(verdict({ status: 400 })).toBe("retry");
    expect(verdict({ status: 410 })).toBe("gone");
    expect(verdict({ status: 429 })).toBe("retry");
    expect(verdict({ status: 500 })).toBe("retry");
    expect(verdict({ status: null })).toBe("retry"); // timeout, refused
  });

  it("follows the default schedule — immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h — within ±20%", () => {
    expect(DEFAULT_RETRY_SCHEDULE).toEqual([0, 5, 300, 1800, 7200, 18000, 36000, 36000]);
    for (let made = 1; made < DEFAULT_RETRY_SCHEDULE.length; made++) {
      const base = DEFAULT_RETRY_SCHEDULE[made] * 1000;
      const low = nextAttemptAt({ attemptsMade: made, now, outcome: { status: 500 }, random: 0 })!.getTime() - now;
      const high = nextAttemptAt({ attemptsMade: made, now, outcome: { status: 500 }, random: 0.999999 })!.getTime() - now;
      expect(Math.abs(low - base * 0.8)).toBeLessThanOrEqual(1);
      expect(high).toBeLessThanOrEqual(base * 1.2);
      expect(high).toBeGreaterThan(base * 1.2 - 50);
    }
    expect(nextAttemptAt({ attemptsMade: 8, now, outcome: { status: 500 } })).toBeNull();
    // A per-endpoint schedule replaces the default.
    expect(nextAttemptAt({ attemptsMade: 2, now, schedule: [0, 1, 2], outcome: { status: 500 } })).not.toBeNull();
    expect(nextAttemptAt({ attemptsMade: 3, now, schedule: [0, 1, 2], outcome: { status: 500 } })).toBeNull();
  });

  it("waits at least the Retry-After of a 429, 502 or 504, in seconds or as a date", () => {
    expect(nextAttemptAt({ attemptsMade: 1, now, outcome: { status: 429, retryAfter: "120" }, random: 0.5 })!.getTime() - now).toBe(120_000);
    expect(
      nextAttemptAt({ attemptsMade: 1, now, outcome: { status: 502, retryAfter: new Date(now + 90_000).toUTCString() }, random: 0.5 })!.getTime() - now,
    ).toBe(90_000);
    // A Retry-After shorter than the schedule's delay does not shorten it; other statuses ignore it.
    expect(nextAttemptAt({ attemptsMade: 3, now, outcome: { status: 504, retryAfter: "1" }, random: 0.5 })!.getTime() - now).toBe(1_800_000);
    expect(nextAttemptAt({ attemptsMade: 1, now, outcome: { status: 500, retryAfter: "120" }, random: 0.5 })!.getTime() - now).toBe(5_000);
  });

  it("disables an endpoint failing continuously for five days", () => {
    expect(shouldDisable(null, now)).toBe(false);
    expect(shouldDisable(new Date(now - 4.9 * 24 * 3600_000), now)).toBe(false);
    expect(shouldDisable(new Date(now - 5 * 24 * 3600_000), now)).toBe(true);
    expect(shouldDisable(new Date(now - 3600_000), now, 3600_000)).toBe(true);
  });
});
