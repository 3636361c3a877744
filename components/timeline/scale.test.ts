// The timeline's axis on d3's UTC scale: ticks at round UTC times as many as fit ~96 px apart,
// labelled by what changes at that step (clock, seconds, day, month, year), midnights marked.
import { describe, expect, it } from "vitest";
import { ticks, timeScale } from "./scale";

const at = (iso: string) => Date.parse(iso);
const labels = (from: string, to: string, width: number) => ticks(timeScale(at(from), at(to), width)).map((tick) => tick.label);

describe("timeline axis", () => {
  it("maps times to pixels and back", () => {
    const scale = timeScale(at("2026-11-23T00:00:00Z"), at("2026-11-24T00:00:00Z"), 960);
    expect(scale.x(at("2026-11-23T12:00:00Z"))).toBe(480);
    expect(scale.time(240)).toBe(at("2026-11-23T06:00:00Z"));
  });

  it("marks a day in hours, with the midnight named and stronger", () => {
    const day = ticks(timeScale(at("2026-11-22T12:00:00Z"), at("2026-11-23T12:00:00Z"), 960));
    expect(day.map((tick) => tick.label)).toEqual(["12:00", "15:00", "18:00", "21:00", "Nov 23", "03:00", "06:00", "09:00", "12:00"]);
    expect(day.filter((tick) => tick.major).map((tick) => tick.label)).toEqual(["Nov 23"]);
  });

  it("shows seconds when the step is under a minute", () => {
    expect(labels("2026-11-23T09:00:00Z", "2026-11-23T09:05:00Z", 960)).toEqual([
      "09:00:00",
      "09:00:30",
      "09:01:00",
      "09:01:30",
      "09:02:00",
      "09:02:30",
      "09:03:00",
      "09:03:30",
      "09:04:00",
      "09:04:30",
      "09:05:00",
    ]);
  });

  it("names months, and the year at January", () => {
    const year = ticks(timeScale(at("2025-11-15T00:00:00Z"), at("2026-11-15T00:00:00Z"), 960));
    expect(year.map((tick) => tick.label)).toEqual(["Dec", "2026", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov"]);
    expect(year.filter((tick) => tick.major).map((tick) => tick.label)).toEqual(["2026"]);
  });

  it("keeps labels apart on a phone", () => {
    const narrow = ticks(timeScale(at("2026-11-22T12:00:00Z"), at("2026-11-23T12:00:00Z"), 300));
    expect(narrow.length).toBeLessThanOrEqual(5);
    expect(narrow.length).toBeGreaterThanOrEqual(2);
  });
});
