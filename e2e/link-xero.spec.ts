// Link connecting a Xero organisation: the end user ticks two organisations on Xero's (sandbox)
// consent page, Link asks which one to connect, and the connection is made for that tenant. The
// picker is photographed at 1440 px and 390 px.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { expect, type APIRequestContext, type Page, type TestInfo } from "@playwright/test";
import { clickToClose, test } from "./support";
import pg from "pg";
import { E2E } from "./config";

const SANDBOX = `http://127.0.0.1:${E2E.sandboxPort}`;
let authorization: string;

async function screenshot(page: Page, testInfo: TestInfo, name: string) {
  const path = testInfo.outputPath(`${name}.png`);
  // caret "initial": hiding the caret styles the focused input, which React reports as a hydration mismatch when the page is still hydrating.
  await page.screenshot({ path, fullPage: true, caret: "initial" });
  await testInfo.attach(name, { path, contentType: "image/png" });
}

test.beforeAll(async () => {
  // An API key for the demo organization's sandbox, as the API keys page makes them (hash only).
  const client = new pg.Client({ connectionString: E2E.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>("select id from organizations order by created_at limit 1");
    const clientId = `ck_test_${randomBytes(12).toString("base64url")}`;
    const secret = `sk_test_${randomBytes(32).toString("base64url")}`;
    await client.query(
      "insert into api_keys (id, organization_id, environment, name, client_id, secret_hash, secret_hint) values ($1, $2, 'sandbox', 'Link Xero e2e', $3, $4, $5)",
      [`key_e2exero${randomBytes(8).toString("hex").toUpperCase()}`, rows[0].id, clientId, createHash("sha256").update(secret).digest("hex"), secret.slice(-4)],
    );
    authorization = `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`;
  } finally {
    await client.end();
  }
});

async function createOrganisation(request: APIRequestContext, name: string): Promise<string> {
  const id = randomUUID();
  const created = await request.post(`${SANDBOX}/control/accounts`, { data: { platform: "xero", id, name, size: 60, seed: 21, rate_limited: false } });
  expect(created.status(), await created.text()).toBe(201);
  return id;
}

test("connects one of two Xero organisations through Link's picker", async ({ page, request }, testInfo) => {
  // Link, the consent page, the callback and the API each compile on first visit in dev mode.
  test.setTimeout(240_000);
  const harbour = await createOrganisation(request, "Harbour Cafe Ltd");
  const kauri = await createOrganisation(request, "Kauri Builders Ltd");
  const session = await request.post("/api/v1/link/sessions", { headers: { authorization }, data: { platforms: ["xero"], end_user_id: "xero-user-1" } });
  expect(session.status(), await session.text()).toBe(201);
  const { link_token } = (await session.json()) as { link_token: string };

  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`/link?token=${encodeURIComponent(link_token)}`);
  await expect(page.getByRole("heading", { name: "Connect Xero" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Continue to Xero" })).toBeEnabled();

  const [consent] = await Promise.all([page.context().waitForEvent("page"), page.getByRole("button", { name: "Continue to Xero" }).click()]);
  await consent.waitForURL(/\/xero\/identity\/connect\/authorize/);
  await expect(consent.getByRole("heading", { name: "Xero: authorize access" })).toBeVisible();
  // Tick exactly these two organisations (the first listed comes ticked).
  for (const box of await consent.getByRole("checkbox").all()) await box.uncheck();
  await consent.getByRole("checkbox", { name: /Harbour Cafe Ltd/ }).check();
  await consent.getByRole("checkbox", { name: /Kauri Builders Ltd/ }).check();
  // The callback page hands over its answer and closes at once: listen before clicking.
  await clickToClose(consent, consent.getByRole("button", { name: "Allow" }));

  await expect(page.getByRole("heading", { name: "Choose the organisation to connect" })).toBeVisible();
  const choices = page.getByRole("radio");
  await expect(choices).toHaveCount(2);
  await expect(page.getByRole("button", { name: "Choose an organisation" })).toBeDisabled();
  await screenshot(page, testInfo, "link-xero-picker-1440");
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, testInfo, "link-xero-picker-390");

  await page.getByRole("radio", { name: "Kauri Builders Ltd" }).check();
  await screenshot(page, testInfo, "link-xero-picker-chosen-390");
  await page.getByRole("button", { name: "Connect Kauri Builders Ltd" }).click();
  await expect(page.getByRole("heading", { name: "Connected" })).toBeVisible();
  await expect(page.getByText("Kauri Builders Ltd")).toBeVisible();

  // The connection is Kauri's: its tenant id is the platform account.
  // The socket the link session was created on has idled past the dev server's keep-alive (5 s) during
  // sign-in, and reusing it can meet the server's close (ECONNRESET): a refused read is sent again.
  await expect(async () => {
    const connections = await request.get("/api/v1/connections?limit=100", { headers: { authorization } });
    expect(connections.status(), await connections.text()).toBe(200);
    const listed = JSON.stringify(await connections.json());
    expect(listed).toContain(kauri);
    expect(listed).not.toContain(harbour);
  }).toPass({ timeout: 30_000 });
});
