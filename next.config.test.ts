// The security headers next.config.mjs declares, matched to paths with Next.js's own route matcher:
// the dashboard, sign-in and every API refuse framing, Link is framed by anyone and sends no
// Referer, and HSTS comes with production only. e2e/security-headers.spec.ts checks real responses.
import { afterEach, describe, expect, it, vi } from "vitest";
// Next.js's own compiler of next.config routes into the regular expressions it matches paths with.
import { buildCustomRoute } from "next/dist/lib/build-custom-route.js";
import type { NextConfig } from "next";

type Header = { key: string; value: string };

async function headersFor(nodeEnv: string) {
  vi.stubEnv("NODE_ENV", nodeEnv);
  vi.resetModules();
  const config = ((await import(new URL("./next.config.mjs", import.meta.url).href)) as { default: NextConfig }).default;
  const rules = (await config.headers!()) as { source: string; headers: Header[] }[];
  return (path: string): Record<string, string> => {
    const merged: Record<string, string> = {};
    for (const rule of rules) {
      const { regex } = buildCustomRoute("header", rule);
      if (new RegExp(regex).test(path)) for (const { key, value } of rule.headers) merged[key.toLowerCase()] = value;
    }
    return merged;
  };
}

afterEach(() => vi.unstubAllEnvs());

const NOT_FRAMED = {
  "content-security-policy": "frame-ancestors 'none'",
  "x-frame-options": "DENY",
  "referrer-policy": "same-origin",
  "x-content-type-options": "nosniff",
};
const LINK = { "content-security-policy": "frame-ancestors *", "referrer-policy": "no-referrer", "x-content-type-options": "nosniff" };

describe("security headers per route group", () => {
  it.each([
    "/",
    "/settings",
    "/connections/conn_1",
    "/sign-in",
    "/change-password",
    "/api/dashboard/overview/running",
    "/api/auth/session",
    "/api/auth/callback/credentials",
    "/api/v1/connections",
    "/linked",
    "/link.js",
  ])("%s may not be framed and sends a Referer only to this origin", async (path) => {
    expect((await headersFor("development"))(path)).toEqual(NOT_FRAMED);
  });

  it.each(["/link", "/link/api/oauth", "/link/api/api-key", "/link/oauth/callback"])("%s may be framed by any site and sends no Referer", async (path) => {
    expect((await headersFor("development"))(path)).toEqual(LINK);
  });

  it("adds HSTS in production only, to every answer", async () => {
    const production = await headersFor("production");
    for (const path of ["/settings", "/link", "/api/v1/connections"]) expect(production(path)["strict-transport-security"]).toBe("max-age=31536000");
    expect((await headersFor("development"))("/settings")["strict-transport-security"]).toBeUndefined();
  });
});
