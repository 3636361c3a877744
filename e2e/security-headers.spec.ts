// Security headers on real answers of the dev server, and what they are for: a page of the same site
// (another port of localhost, so the session cookie goes along) cannot frame the signed-in Settings,
// while Link, which teams embed in their own sites, still opens in a frame.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { E2E } from "./config";
import { signIn } from "./support";

let host: Server;
let hostPort: number;

test.beforeAll(async () => {
  // The framing page: /?src=<url> frames that URL and records when the frame has loaded.
  host = createServer((request, response) => {
    const src = new URL(request.url ?? "/", "http://localhost").searchParams.get("src") ?? "";
    response
      .writeHead(200, { "content-type": "text/html" })
      .end(
        `<!doctype html><title>Framing page</title><iframe id="frame" name="framed" src="${src.replace(/"/g, "&quot;")}" onload="document.title='loaded'"></iframe>`,
      );
  });
  await new Promise<void>((resolve) => host.listen(0, resolve));
  hostPort = (host.address() as AddressInfo).port;
});

test.afterAll(() => new Promise<void>((resolve) => host.close(() => resolve())));

async function signInAt(page: Page) {
  await page.goto("/sign-in");
  await signIn(page);
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible({ timeout: 60_000 });
}

const NOT_FRAMED = {
  "content-security-policy": "frame-ancestors 'none'",
  "x-frame-options": "DENY",
  "referrer-policy": "same-origin",
  "x-content-type-options": "nosniff",
};

test("dashboard pages, sign-in and their APIs refuse framing; Link allows it and sends no Referer", async ({ page }) => {
  await signInAt(page);
  const request = page.request;
  for (const path of [
    "/sign-in",
    "/settings",
    "/connections",
    "/api/dashboard/overview/running",
    "/api/auth/session",
    "/api/auth/csrf",
    "/api/v1/connections",
    "/api/health",
  ]) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.headers(), path).toMatchObject(NOT_FRAMED);
    // HSTS only in production: this is the dev server.
    expect(response.headers()["strict-transport-security"], path).toBeUndefined();
  }
  for (const path of ["/link?token=lt_unknown", "/link/api/oauth"]) {
    const response = await request.get(path, { maxRedirects: 0 });
    const headers = response.headers();
    expect(headers, path).toMatchObject({
      "content-security-policy": "frame-ancestors *",
      "referrer-policy": "no-referrer",
      "x-content-type-options": "nosniff",
    });
    expect(headers["x-frame-options"], path).toBeUndefined();
  }
});

test("a same-site page cannot frame the signed-in Settings, and can frame Link", async ({ page }) => {
  await signInAt(page);
  // localhost on another port is the same site: the session cookie (SameSite=Lax) goes into the frame.
  await page.goto(`http://localhost:${hostPort}/?src=${encodeURIComponent(`${E2E.baseUrl}/settings`)}`);
  await expect(page).toHaveTitle("loaded");
  const blocked = page.frame({ name: "framed" })!;
  // Chromium replaces a refused frame with its error page.
  expect(blocked.url()).toBe("chrome-error://chromewebdata/");
  await expect(page.frameLocator("#frame").getByRole("heading", { name: "Settings" })).toHaveCount(0);

  await page.goto(`http://localhost:${hostPort}/?src=${encodeURIComponent(`${E2E.baseUrl}/link?token=lt_unknown&mode=iframe`)}`);
  await expect(page).toHaveTitle("loaded");
  expect(page.frame({ name: "framed" })!.url()).toContain(`${E2E.baseUrl}/link?token=lt_unknown`);
  // Link's own page, telling the end user the session is not valid.
  await expect(page.frameLocator("#frame").locator("body")).toContainText("This link is not valid");
});
