import { describe, expect, it } from "vitest";
import { newId, ulid } from "./ids";

describe("prefixed ids", () => {
  it("carry their prefix and a 26-character ULID", () => {
    expect(newId("conn")).toMatch(/^conn_[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it("sort in creation order, within one millisecond too", () => {
    const ids = Array.from({ length: 1000 }, () => ulid(1_700_000_000_000));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(1000);
    expect(ulid(1_700_000_000_001) > ids[999]).toBe(true);
  });

  it("stay monotonic when the clock goes back", () => {
    const later = ulid(Date.UTC(2031, 0, 1));
    const afterClockStep = ulid(Date.UTC(2030, 0, 1));
    expect(afterClockStep > later).toBe(true);
  });
});
