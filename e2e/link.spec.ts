// Link embedded in a customer's site on another origin: the end user connects a sandbox Shopify
// store through its OAuth consent page; the site receives the public token in onSuccess, its
// "backend" (this test) exchanges it, waits for INITIAL_UPDATE and reads orders through the API.
// Another end user denies consent and sees what to do, and the team gets CONNECTION_LINK_ERROR.
import { createHash, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { clickToClose, test } from "./support";
import pg from "pg";
import { E2E } from "./config";

const SANDBOX = `http://127.0.0.1:${E2E.sandboxPort}`;
let host: Server;
let hostUrl: string;
let authorization: string;

/** The customer's page: loads link.js from Tributary and records what the callbacks received. */
const HOST_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme Lending</title>
<script src="${E2E.baseUrl}/link.js"></script></head>
<body><h1>Acme Lending</h1><button id="connect">Connect your store</button><button id="connect-popup">Connect in a window</button>
<pre id="success"></pre><pre id="exit"></pre><pre id="events"></pre>
<script>
function connect(mode) {
  Tributary.open({
    mode: mode,
    token: new URLSearchParams(location.search).get("token"),
    onSuccess: function (publicToken, metadata) { document.getElementById("success").textContent = JSON.stringify({ publicToken: publicToken, metadata: metadata }); },
    onExit: function (error) { document.getElementById("exit").textContent = JSON.stringify({ error: error }); },
    onEvent: function (name) { document.getElementById("events").textContent += name + "\\n"; },
  });
}
document.getElementById("connect").addEventListener("click", function () { connect("iframe"); });
document.getElementById("connect-popup").addEventListener("click", function () { connect("popup"); });
</script></body></html>`;

test.beforeAll(async () => {
  host = createServer((_request, response) => response.writeHead(200, { "content-type": "text/html" }).end(HOST_PAGE));
  await new Promise<void>((resolve) => host.listen(0, "127.0.0.1", resolve));
  // 127.0.0.1 is another origin than Tributary's localhost.
  hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}/`;

  // An API key for the demo organization's sandbox, as the API keys page makes them (hash only).
  const client = new pg.Client({ connectionString: E2E.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>("select id from organizations order by created_at limit 1");
    const clientId = `ck_test_${randomBytes(12).toString("base64url")}`;
    const secret = `sk_test_${randomBytes(32).toString("base64url")}`;
    await client.query(
      "insert into api_keys (id, organization_id, environment, name, client_id, secret_hash, secret_hint) values ($1, $2, 'sandbox', 'Link e2e', $3, $4, $5)",
      [`key_e2elink${randomBytes(8).toString("hex").toUpperCase()}`, rows[0].id, clientId, createHash("sha256").update(secret).digest("hex"), secret.slice(-4)],
    );
    authorization = `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`;
  } finally {
    await client.end();
  }
});

test.afterAll(async () => {
  await new Promise((resolve) => host?.close(resolve));
});

async function createShop(request: APIRequestContext, id: string) {
  const created = await request.post(`${SANDBOX}/control/accounts`, { data: { platform: "shopify", id, size: 150, seed: 11, rate_limited: false } });
  expect(created.status(), await created.text()).toBe(201);
}

async function linkSession(request: APIRequestContext, endUserId: string): Promise<string> {
  const response = await request.post("/api/v1/link/sessions", { headers: { authorization }, data: { platforms: ["shopify"], end_user_id: endUserId } });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { link_token: string }).link_token;
}

async function openLink(page: Page, token: string) {
  await page.goto(`${hostUrl}?token=${encodeURIComponent(token)}`);
  await page.getByRole("button", { name: "Connect your store" }).click();
  const link = page.frameLocator('iframe[title^="Connect an account"]');
  await expect(link.getByRole("heading", { name: "Connect Shopify" })).toBeVisible();
  // Interactive once hydrated.
  await expect(link.getByRole("button", { name: "Continue to Shopify" })).toBeEnabled();
  return link;
}

test("connects a Shopify store from an embedding site: consent, public token, exchange, INITIAL_UPDATE, orders", async ({ page, request }) => {
  await createShop(request, "e2e-link-store");
  const token = await linkSession(request, "end-user-1");
  const link = await openLink(page, token);
  await expect(link.getByRole("list", { name: "Data that will be read" })).toContainText("Orders");
  await link.getByLabel("Store address").fill("e2e-link-store");

  const [consent] = await Promise.all([page.context().waitForEvent("page"), link.getByRole("button", { name: "Continue to Shopify" }).click()]);
  await expect(link.getByRole("heading", { name: "Finish in the Shopify window" })).toBeVisible();
  await consent.waitForURL(/\/shopify\/e2e-link-store\/admin\/oauth\/authorize/);
  await expect(consent.getByRole("heading", { name: "Shopify: authorize access" })).toBeVisible();
  // The callback page hands over its answer and closes at once: listen before clicking.
  await clickToClose(consent, consent.getByRole("button", { name: "Allow" }));

  await expect(link.getByRole("heading", { name: "Connected" })).toBeVisible();
  await expect(page.locator("#success")).toContainText("public_");
  const { publicToken, metadata } = JSON.parse((await page.locator("#success").textContent())!) as {
    publicToken: string;
    metadata: { connection_id: string; platform: string };
  };
  expect(metadata.platform).toBe("shopify");
  await expect(page.locator("#events")).toContainText("SUCCESS");
  await link.getByRole("button", { name: "Done" }).click();
  await expect(page.locator("iframe")).toHaveCount(0);
  await expect(page.locator("#exit")).toBeEmpty();

  // The team's backend: exchange once, wait for the first batch, read orders.
  const exchanged = await request.post("/api/v1/item/public_token/exchange", { headers: { authorization }, data: { public_token: publicToken } });
  expect(exchanged.status(), await exchanged.text()).toBe(200);
  const { access_token, connection_id } = (await exchanged.json()) as { access_token: string; connection_id: string };
  expect(connection_id).toBe(metadata.connection_id);
  const again = await request.post("/api/v1/item/public_token/exchange", { headers: { authorization }, data: { public_token: publicToken } });
  expect(again.status()).toBe(400);
  expect(await again.json()).toMatchObject({ error_code: "INVALID_PUBLIC_TOKEN" });

  await expect
    .poll(
      async () => {
        const events = await request.get(`/api/v1/events?connection_id=${connection_id}&type=INITIAL_UPDATE`, { headers: { authorization } });
        return ((await events.json()) as { events: unknown[] }).events.length;
      },
      { timeout: 60_000, intervals: [500] },
    )
    .toBe(1);
  const orders = await request.get(`/api/v1/commerce/orders?access_token=${encodeURIComponent(access_token)}&limit=50`, { headers: { authorization } });
  expect(orders.status(), await orders.text()).toBe(200);
  const body = (await orders.json()) as { orders: { id: string }[] };
  expect(body.orders.length).toBeGreaterThan(0);
});

test("an end user who denies consent is told what happened, can try again, and the team gets CONNECTION_LINK_ERROR", async ({ page, request }) => {
  await createShop(request, "e2e-deny-store");
  const token = await linkSession(request, "end-user-denies");
  const link = await openLink(page, token);
  await link.getByLabel("Store address").fill("e2e-deny-store.myshopify.com");
  const [consent] = await Promise.all([page.context().waitForEvent("page"), link.getByRole("button", { name: "Continue to Shopify" }).click()]);
  // The callback page hands over its answer and closes at once: listen before clicking.
  await clickToClose(consent, consent.getByRole("button", { name: "Deny" }));

  await expect(link.locator("main").getByRole("alert")).toContainText("You declined access on Shopify, so nothing was connected");
  await expect(link.getByRole("button", { name: "Try again" })).toBeVisible();
  await expect(page.locator("#events")).toContainText("ERROR");
  await expect(page.locator("#success")).toBeEmpty();

  const events = await request.get("/api/v1/events?type=CONNECTION_LINK_ERROR&limit=500", { headers: { authorization } });
  const found = ((await events.json()) as { events: { data: Record<string, unknown> }[] }).events.map((e) => e.data);
  expect(found).toContainEqual(expect.objectContaining({ error_code: "ACCESS_DENIED", platform: "shopify", end_user_id: "end-user-denies" }));

  // Closing Link hands the last error to onExit.
  await link.getByRole("button", { name: "Close" }).click();
  await expect(page.locator("iframe")).toHaveCount(0);
  await expect(page.locator("#exit")).toContainText("ACCESS_DENIED");
});

test("on a phone-sized screen, by keyboard alone: search the platforms, choose QuickBooks, a wrong API key is named, the right one connects", async ({
  page,
  request,
}, testInfo) => {
  await page.setViewportSize({ width: 390, height: 780 });
  const created = await request.post(`${SANDBOX}/control/accounts`, {
    data: { platform: "quickbooks", id: "9130357100001", size: 60, seed: 5, rate_limited: false },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { api_key } = (await (await request.post(`${SANDBOX}/control/accounts/quickbooks/9130357100001/api-keys`, { data: {} })).json()) as { api_key: string };
  const response = await request.post("/api/v1/link/sessions", { headers: { authorization }, data: { end_user_id: "phone-user" } });
  const { link_token } = (await response.json()) as { link_token: string };

  await page.goto(`${hostUrl}?token=${encodeURIComponent(link_token)}`);
  await page.getByRole("button", { name: "Connect your store" }).focus();
  await page.keyboard.press("Enter");
  const link = page.frameLocator('iframe[title^="Connect an account"]');
  await expect(link.getByRole("heading", { name: "Connect an account" })).toBeVisible();
  await expect(link.getByRole("list", { name: "Platforms" }).getByRole("button")).toHaveCount(4); // Shopify, QuickBooks, Xero, Zendesk
  await expect(link.getByLabel("Search platforms")).toBeEnabled();
  await page.screenshot({ path: testInfo.outputPath("link-choose-phone.png") });

  await link.getByLabel("Search platforms").focus();
  await page.keyboard.type("quick");
  await expect(link.getByRole("list", { name: "Platforms" }).getByRole("button")).toHaveCount(1);
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await expect(link.getByRole("heading", { name: "Connect QuickBooks Online" })).toBeFocused();
  await page.screenshot({ path: testInfo.outputPath("link-consent-phone.png") });

  await link.getByRole("button", { name: "Use an API key instead" }).focus();
  await page.keyboard.press("Enter");
  await expect(link.getByRole("heading", { name: "QuickBooks Online API key" })).toBeFocused();
  await page.keyboard.press("Tab");
  await page.keyboard.type("9130 3571 0000 1");
  await page.keyboard.press("Tab");
  await page.keyboard.type("quickbooks_key_wrong");
  await page.keyboard.press("Enter");
  await expect(link.getByLabel("API key")).toHaveAttribute("aria-invalid", "true");
  await expect(link.locator("#api-key-hint")).toContainText("did not accept this key");
  await page.screenshot({ path: testInfo.outputPath("link-api-key-error-phone.png") });

  await link.getByLabel("API key").fill(api_key);
  await page.keyboard.press("Enter");
  await expect(link.getByRole("heading", { name: "Connected" })).toBeFocused();
  await expect(page.locator("#success")).toContainText('"platform_account_id":"9130357100001"');
  await page.screenshot({ path: testInfo.outputPath("link-success-phone.png") });
  await page.keyboard.press("Tab");
  await expect(link.getByRole("button", { name: "Done" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator("iframe")).toHaveCount(0);
});

test("an expired or unknown link says so and hands the error to onExit", async ({ page }, testInfo) => {
  await page.goto(`${hostUrl}?token=link_not_a_real_token`);
  await page.getByRole("button", { name: "Connect your store" }).click();
  const link = page.frameLocator('iframe[title^="Connect an account"]');
  await expect(link.getByRole("heading", { name: "This link does not work" })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("link-invalid.png") });
  await link.getByRole("button", { name: "Close", exact: true }).first().click();
  await expect(page.locator("#exit")).toContainText("LINK_SESSION_NOT_FOUND");
});

test("popup mode: Link opens in its own window and reports to the page that opened it", async ({ page, request }) => {
  const response = await request.post("/api/v1/link/sessions", { headers: { authorization }, data: { platforms: ["zendesk"] } });
  const { link_token } = (await response.json()) as { link_token: string };
  await page.goto(`${hostUrl}?token=${encodeURIComponent(link_token)}`);
  const [popup] = await Promise.all([page.waitForEvent("popup"), page.getByRole("button", { name: "Connect in a window" }).click()]);
  await expect(popup.getByRole("heading", { name: "Connect Zendesk" })).toBeVisible();
  await expect(popup.getByLabel("Zendesk subdomain")).toBeEnabled();
  await expect(page.locator("#events")).toContainText("OPEN");
  // Closing the window without connecting is an exit without an error.
  await clickToClose(popup, popup.getByRole("button", { name: "Close", exact: true }));
  await expect(page.locator("#exit")).toHaveText('{"error":null}');
});

test("a re-link URL as emailed to an end user: opening it creates nothing, it re-links once, then says it has expired", async ({ page, request }, testInfo) => {
  const company = "9130357100002";
  const created = await request.post(`${SANDBOX}/control/accounts`, { data: { platform: "quickbooks", id: company, size: 20, seed: 6, rate_limited: false } });
  expect(created.status(), await created.text()).toBe(201);
  const { api_key } = (await (await request.post(`${SANDBOX}/control/accounts/quickbooks/${company}/api-keys`, { data: {} })).json()) as { api_key: string };
  const session = await request.post("/api/v1/link/sessions", { headers: { authorization }, data: { platforms: ["quickbooks"], end_user_id: "relink-user" } });
  const { link_token } = (await session.json()) as { link_token: string };
  const connected = await request.post("/link/api/api-key", { data: { token: link_token, platform: "quickbooks", account: company, api_key } });
  expect(connected.status(), await connected.text()).toBe(200);
  const connectionId = ((await connected.json()) as { metadata: { connection_id: string } }).metadata.connection_id;
  const status = await request.get(`/api/v1/connections/${connectionId}`, { headers: { authorization } });
  const linkUrl = new URL(((await status.json()) as { connection: { link_url: string } }).connection.link_url);
  const relinkPath = `${linkUrl.pathname}${linkUrl.search}`;

  const sessions = async () => {
    const client = new pg.Client({ connectionString: E2E.databaseUrl });
    await client.connect();
    try {
      return (await client.query<{ count: string }>("select count(*) from link_sessions where connection_id = $1", [connectionId])).rows[0].count;
    } finally {
      await client.end();
    }
  };
  const before = await sessions();
  // A mail client's link preview fetches it, then the end user opens it.
  expect((await request.get(relinkPath)).status()).toBe(200);
  await page.goto(relinkPath);
  await expect(page.getByRole("heading", { name: "Reconnect QuickBooks Online" })).toBeVisible();
  expect(await sessions()).toBe(before);

  await expect(page.getByRole("button", { name: "Continue to QuickBooks Online" })).toBeEnabled();
  const [consent] = await Promise.all([page.context().waitForEvent("page"), page.getByRole("button", { name: "Continue to QuickBooks Online" }).click()]);
  await expect(consent.getByRole("heading", { name: /authorize access/ })).toBeVisible();
  await consent.getByLabel("Account").selectOption(company);
  await clickToClose(consent, consent.getByRole("button", { name: "Allow" }));
  await expect(page.getByRole("heading", { name: "Reconnected" })).toBeVisible();
  expect(Number(await sessions())).toBe(Number(before) + 1);

  await page.goto(relinkPath);
  await expect(page.getByRole("heading", { name: "This link has expired" })).toBeVisible();
  await expect(page.locator("main").getByRole("alert")).toHaveText(/^This link has expired; ask .+ for a new one\.$/);
  await page.screenshot({ path: testInfo.outputPath("link-relink-expired.png") });
});
