// Link's failures as a new end user meets them, from a customer's site on another origin: a store
// that does not exist is not "you declined" (the platform's own reason is shown and recorded), what
// was typed survives the failure, and EXIT fires exactly when Link ends without connecting.
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
// Ids of this run: the server's database and sandbox outlive one run when a developer reuses them.
const RUN = Date.now().toString(36);

/** The customer's page: loads link.js from Tributary and writes down what each callback received. */
const HOST_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme Lending</title>
<script src="${E2E.baseUrl}/link.js"></script></head>
<body><button id="connect">Connect your store</button><button id="connect-popup">Connect in a window</button>
<pre id="success"></pre><pre id="exit"></pre><pre id="events"></pre>
<script>
function connect(mode) {
  Tributary.open({
    mode: mode,
    token: new URLSearchParams(location.search).get("token"),
    onSuccess: function (publicToken, metadata) { document.getElementById("success").textContent = JSON.stringify(metadata); },
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
  hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}/`;
  const client = new pg.Client({ connectionString: E2E.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>("select id from organizations order by created_at limit 1");
    const clientId = `ck_test_${randomBytes(12).toString("base64url")}`;
    const secret = `sk_test_${randomBytes(32).toString("base64url")}`;
    await client.query(
      "insert into api_keys (id, organization_id, environment, name, client_id, secret_hash, secret_hint) values ($1, $2, 'sandbox', 'Link errors e2e', $3, $4, $5)",
      [
        `key_e2elinkerr${randomBytes(8).toString("hex").toUpperCase()}`,
        rows[0].id,
        clientId,
        createHash("sha256").update(secret).digest("hex"),
        secret.slice(-4),
      ],
    );
    authorization = `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`;
  } finally {
    await client.end();
  }
});

test.afterAll(async () => {
  await new Promise((resolve) => host?.close(resolve));
});

async function linkToken(request: APIRequestContext, data: Record<string, unknown>): Promise<string> {
  const response = await request.post("/api/v1/link/sessions", { headers: { authorization }, data });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { link_token: string }).link_token;
}

async function linkErrors(request: APIRequestContext, endUserId: string) {
  const events = await request.get("/api/v1/events?type=CONNECTION_LINK_ERROR&limit=500", { headers: { authorization } });
  return ((await events.json()) as { events: { data: Record<string, unknown> }[] }).events.map((e) => e.data).filter((data) => data.end_user_id === endUserId);
}

async function signIn(page: Page, button: string, decision: "Allow" | "Deny") {
  const link = page.frameLocator('iframe[title^="Connect an account"]');
  const [consent] = await Promise.all([page.context().waitForEvent("page"), link.getByRole("button", { name: button }).click()]);
  await expect(consent.getByRole("heading", { name: "Shopify: authorize access" })).toBeVisible();
  // The callback page hands over its answer and closes at once: listen before clicking.
  await clickToClose(consent, consent.getByRole("button", { name: decision }));
}

test("Allow on a store that does not exist shows Shopify's reason, records PLATFORM_REFUSED, keeps the store typed; EXIT only when leaving unconnected", async ({
  page,
  request,
}, testInfo) => {
  // Two sign-ins, a store created in between, and Link compiled on first use.
  test.setTimeout(180_000);
  const token = await linkToken(request, { platforms: ["shopify"], end_user_id: `end-user-typo-${RUN}` });
  await page.goto(`${hostUrl}?token=${encodeURIComponent(token)}`);
  await page.getByRole("button", { name: "Connect your store" }).click();
  const link = page.frameLocator('iframe[title^="Connect an account"]');
  // The first visit compiles Link: wait for it to hydrate.
  await expect(link.getByRole("button", { name: "Continue to Shopify" })).toBeEnabled({ timeout: 60_000 });
  await link.getByLabel("Store address").fill("e2e-no-such-store");
  await signIn(page, "Continue to Shopify", "Allow");

  const alert = link.locator("main").getByRole("alert");
  await expect(alert).toContainText('Shopify could not sign you in: Shopify has no open account "e2e-no-such-store"');
  await expect(alert).not.toContainText("declined");
  // What the end user typed is still there to correct.
  await expect(link.getByLabel("Store address")).toHaveValue("e2e-no-such-store");
  await page.screenshot({ path: testInfo.outputPath("link-unknown-store.png") });
  expect((await linkErrors(request, `end-user-typo-${RUN}`)).map((e) => e.error_code)).toEqual(["PLATFORM_REFUSED"]);

  // Corrected, the same session connects; a success is not an exit.
  const created = await request.post(`${SANDBOX}/control/accounts`, {
    data: { platform: "shopify", id: `e2e-typo-${RUN}`, size: 20, seed: 3, rate_limited: false },
  });
  expect(created.status(), await created.text()).toBe(201);
  await link.getByLabel("Store address").fill(`e2e-typo-${RUN}`);
  await signIn(page, "Try again", "Allow");
  await expect(link.getByRole("heading", { name: "Connected" })).toBeVisible();
  await link.getByRole("button", { name: "Done" }).click();
  await expect(page.locator("iframe")).toHaveCount(0);
  await expect(page.locator("#success")).toContainText(`"platform_account_id":"e2e-typo-${RUN}"`);
  await expect(page.locator("#events")).toContainText("SUCCESS");
  await expect(page.locator("#events")).not.toContainText("EXIT");
  await expect(page.locator("#exit")).toBeEmpty();
});

test("a declined consent is still ACCESS_DENIED, and closing Link then fires EXIT before onExit", async ({ page, request }) => {
  const created = await request.post(`${SANDBOX}/control/accounts`, {
    data: { platform: "shopify", id: `e2e-decline-${RUN}`, size: 20, seed: 4, rate_limited: false },
  });
  expect(created.status(), await created.text()).toBe(201);
  const token = await linkToken(request, { platforms: ["shopify"], end_user_id: `end-user-declines-${RUN}` });
  await page.goto(`${hostUrl}?token=${encodeURIComponent(token)}`);
  await page.getByRole("button", { name: "Connect your store" }).click();
  const link = page.frameLocator('iframe[title^="Connect an account"]');
  // The first visit compiles Link: wait for it to hydrate.
  await expect(link.getByRole("button", { name: "Continue to Shopify" })).toBeEnabled({ timeout: 60_000 });
  await link.getByLabel("Store address").fill(`e2e-decline-${RUN}`);
  await signIn(page, "Continue to Shopify", "Deny");
  await expect(link.locator("main").getByRole("alert")).toContainText("You declined access on Shopify");
  await expect(link.getByLabel("Store address")).toHaveValue(`e2e-decline-${RUN}`);
  expect((await linkErrors(request, `end-user-declines-${RUN}`)).map((e) => e.error_code)).toEqual(["ACCESS_DENIED"]);
  await link.getByRole("button", { name: "Close", exact: true }).click();
  await expect(page.locator("#exit")).toContainText("ACCESS_DENIED");
  await expect(page.locator("#events")).toContainText(/ERROR\nEXIT\n$/);
});

test("EXIT fires when the end user closes Link's own window, as onExit does", async ({ page, request }) => {
  const token = await linkToken(request, { platforms: ["zendesk"] });
  await page.goto(`${hostUrl}?token=${encodeURIComponent(token)}`);
  const [popup] = await Promise.all([page.waitForEvent("popup"), page.getByRole("button", { name: "Connect in a window" }).click()]);
  await expect(popup.getByRole("heading", { name: "Connect Zendesk" })).toBeVisible();
  await expect(page.locator("#events")).toContainText("OPEN");
  // The browser's own close, not Link's button: Link cannot say goodbye, link.js notices.
  await popup.close();
  await expect(page.locator("#exit")).toHaveText('{"error":null}');
  await expect(page.locator("#events")).toContainText("EXIT");
});
