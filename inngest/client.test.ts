import { describe, expect, it } from "vitest";
import { inngestMode, serveInDevMode } from "./client";

describe("which engine runs the work", () => {
  it("is the embedded worker unless Inngest is configured", () => {
    expect(inngestMode({})).toBe("embedded");
    expect(inngestMode({ INNGEST_EVENT_KEY: "k" })).toBe("embedded");
    expect(inngestMode({ INNGEST_DEV: "1" })).toBe("dev");
    expect(inngestMode({ INNGEST_EVENT_KEY: "k", INNGEST_SIGNING_KEY: "s" })).toBe("cloud");
  });

  it("never serves unsigned in production", () => {
    expect(serveInDevMode({ NODE_ENV: "production" })).toBe(false);
    expect(serveInDevMode({ NODE_ENV: "production", INNGEST_EVENT_KEY: "k", INNGEST_SIGNING_KEY: "s" })).toBe(false);
    expect(serveInDevMode({ NODE_ENV: "development" })).toBe(true);
    expect(serveInDevMode({ NODE_ENV: "production", INNGEST_DEV: "1" })).toBe(true);
  });
});
