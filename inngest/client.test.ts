import { beforeAll, describe, expect, it } from "vitest";
import { devModeCallRefusal, inngestMode, serveInDevMode } from "./client";

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

describe("who may call the endpoint while it serves in dev mode (unsigned)", () => {
  // The launcher loads this into the Next.js server: it stamps each request with its socket's address.
  beforeAll(() => import("../scripts/next-preload.mjs"));
  const call = (peer: string | null, headers: Record<string, string> = {}) =>
    devModeCallRefusal(
      new Request("http://localhost:3000/api/inngest", {
        method: "PUT",
        headers: { ...(peer === null ? {} : { "x-tributary-peer-address": peer }), ...headers },
      }),
    );

  it("a dev server on this machine: loopback, as Next forwards it", () => {
    expect(call("127.0.0.1", { "x-forwarded-for": "127.0.0.1" })).toBeNull();
    expect(call("::1", { "x-forwarded-for": "::1" })).toBeNull();
    expect(call("::ffff:127.0.0.1", { "x-forwarded-for": "::ffff:127.0.0.1" })).toBeNull();
  });

  it("refuses another address, whatever x-forwarded-for claims", () => {
    expect(call("192.0.2.2", { "x-forwarded-for": "192.0.2.2" })).toBe("the call came from 192.0.2.2, not from this machine");
    expect(call("192.0.2.2", { "x-forwarded-for": "127.0.0.1" })).toBe("the call came from 192.0.2.2, not from this machine");
    expect(call("fd00::2")).toBe("the call came from fd00::2, not from this machine");
  });

  it("refuses what a proxy on this machine forwards, and what a web page sends", () => {
    expect(call("127.0.0.1", { "x-forwarded-for": "203.0.113.7" })).toBe("the call was forwarded by a proxy");
    expect(call("127.0.0.1", { forwarded: "for=203.0.113.7" })).toBe("the call was forwarded by a proxy");
    expect(call("127.0.0.1", { "x-real-ip": "203.0.113.7" })).toBe("the call was forwarded by a proxy");
    expect(call("127.0.0.1", { origin: "https://evil.example" })).toBe("the call came from a web page");
  });

  it("refuses when the address is unknown", () => {
    expect(call(null, { "x-forwarded-for": "127.0.0.1" })).toMatch(/^the caller's address is unknown/);
  });
});
