// What the end-to-end specs share.
import { createHash, randomBytes } from "node:crypto";
import { test as base, type Locator, type Page } from "@playwright/test";
import pg from "pg";
import { E2E } from "./config";

/**
 * Playwright's test, with a `request` that opens a socket per request. Since 1.65 Playwright's API
 * context keeps sockets alive; the dev server closes one that idled 5 s, and a request sent on it as
 * it closes fails with ECONNRESET (CI met it after a 60 s wait). `connection: close` has no such race.
 */
export const test = base.extend({
  request: async ({ playwright, baseURL }, provide) => {
    const request = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { connection: "close" } });
    await provide(request);
    await request.dispose();
  },
});

/**
 * Clicks a button that closes the window it is in (a consent's Allow, Link's Close in popup mode) and
 * waits for the window to close. Playwright may see the window go before the click returns and reject
 * the click with "Target page, context or browser has been closed" (CI met it once); that rejection is
 * the click's expected end here, and any other is thrown.
 */
export async function clickToClose(window: Page, button: Locator): Promise<void> {
  const closed = window.waitForEvent("close");
  const clicked = button.click().then(
    () => null,
    (error: unknown) => error,
  );
  await closed;
  const error = await clicked;
  if (error !== null && !/closed/i.test(String(error))) throw error;
}

/** Fills in the sign-in form the page shows (the admin's, unless told) and submits it. */
export async function signIn(page: Page, email: string = E2E.adminEmail, password: string = E2E.adminPassword): Promise<void> {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Work on the end-to-end server's embedded database, for rows a test sets up directly. */
export async function database<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: E2E.databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A sandbox API key of the demo organization, as the API keys page makes them (hash only). */
export async function apiKey(): Promise<string> {
  return database(async (client) => {
    const { rows } = await client.query<{ id: string }>("select id from organizations order by created_at limit 1");
    const clientId = `ck_test_${randomBytes(12).toString("base64url")}`;
    const secret = `sk_test_${randomBytes(32).toString("base64url")}`;
    await client.query(
      "insert into api_keys (id, organization_id, environment, name, client_id, secret_hash, secret_hint) values ($1, $2, 'sandbox', 'E2E', $3, $4, $5)",
      [`key_e2e${randomBytes(8).toString("hex").toUpperCase()}`, rows[0].id, clientId, createHash("sha256").update(secret).digest("hex"), secret.slice(-4)],
    );
    return `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`;
  });
}
