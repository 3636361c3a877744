// Credentials and limits on the real emulators over HTTP: each platform's own 401, closed-account and
// 429 answers, QuickBooks' API keys and Zendesk's API tokens, and rate limits scaled per account.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandboxServer, type SandboxServer } from "./server";
import { SANDBOX_PLATFORMS } from "./platforms";

const LIST: Record<string, (id: string) => string> = {
  shopify: (id) => `/shopify/${id}/admin/api/2024-10/products.json`,
  quickbooks: (id) => `/quickbooks/v3/company/${id}/query?query=${encodeURIComponent("SELECT * FROM Invoice")}`,
  zendesk: (id) => `/zendesk/${id}/api/v2/tickets.json`,
  xero: () => "/xero/api.xro/2.0/Invoices?page=1",
};
/** Headers naming the account, for platforms that route by header (Xero's xero-tenant-id). */
const ROUTE: Record<string, (id: string) => Record<string, string>> = {
  xero: (id) => ({ "xero-tenant-id": id }),
};
/** Sandbox account ids: Xero's are tenant UUIDs. */
const ACCOUNT: Record<string, string> = { xero: "0b5d3c2a-7e1f-4a9b-8c6d-5e4f3a2b1c0d" };
const accountOf = (key: string) => ACCOUNT[key] ?? `${key}-a`;
const AUTH: Record<string, (credential: string) => Record<string, string>> = {
  shopify: (credential) => ({ "X-Shopify-Access-Token": credential }),
  quickbooks: (credential) => ({ Authorization: `Bearer ${credential}` }),
  zendesk: (credential) => ({ Authorization: `Bearer ${credential}` }),
  xero: (credential) => ({ Authorization: `Bearer ${credential}` }),
};

describe("credentials and limits on every emulator", () => {
  let sandbox: SandboxServer;
  const post = (path: string, body: unknown) =>
    fetch(`${sandbox.url}/control/accounts${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  beforeAll(async () => {
    sandbox = await startSandboxServer({ platforms: SANDBOX_PLATFORMS });
    for (const platform of SANDBOX_PLATFORMS)
      expect((await post("", { platform: platform.key, id: accountOf(platform.key), size: 100, seed: 1 })).status).toBe(201);
  });
  afterAll(() => sandbox?.stop());

  it.each(SANDBOX_PLATFORMS.map((p) => p.key))("%s: no credential or a forged one gets the platform's 401; a token reads data", async (key) => {
    const id = accountOf(key);
    const url = `${sandbox.url}${LIST[key](id)}`;
    const route = ROUTE[key]?.(id) ?? {};
    const missing = await fetch(url, { headers: route });
    expect(missing.status).toBe(401);
    const expected =
      { shopify: /Invalid API key or access token/, zendesk: /Couldn't authenticate you/, xero: /AuthenticationUnsuccessful/ }[key] ?? /AuthenticationFailed/;
    expect(JSON.stringify(await missing.json())).toMatch(expected);
    expect((await fetch(url, { headers: { ...route, ...AUTH[key]("forged") } })).status).toBe(401);
    const { access_token } = (await (await post(`/${key}/${id}/tokens`, {})).json()) as { access_token: string };
    expect((await fetch(url, { headers: { ...route, ...AUTH[key](access_token) } })).status).toBe(200);
  });

  it("QuickBooks accepts sandbox API keys; Shopify does not issue them", async () => {
    const created = await post("/quickbooks/quickbooks-a/api-keys", {});
    expect(created.status).toBe(201);
    const { api_key } = (await created.json()) as { api_key: string };
    const url = `${sandbox.url}${LIST.quickbooks("quickbooks-a")}`;
    expect((await fetch(url, { headers: AUTH.quickbooks(api_key) })).status).toBe(200);
    expect((await fetch(url, { headers: AUTH.quickbooks(`${api_key}x`) })).status).toBe(401);
    const refused = await post("/shopify/shopify-a/api-keys", {});
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ field: "platform" });
  });

  it("Zendesk accepts API tokens as Basic {email}/token:{api_token}, beside OAuth bearer tokens", async () => {
    const created = await post("/zendesk/zendesk-a/api-keys", {});
    expect(created.status).toBe(201);
    const { api_key } = (await created.json()) as { api_key: string };
    const url = `${sandbox.url}${LIST.zendesk("zendesk-a")}`;
    const basic = (credentials: string) => ({ Authorization: `Basic ${Buffer.from(credentials).toString("base64")}` });
    expect((await fetch(url, { headers: basic(`agent@example.com/token:${api_key}`) })).status).toBe(200);
    for (const wrong of [`agent@example.com/token:${api_key}x`, `agent@example.com:${api_key}`, `/token:${api_key}`, `agent@example.com/token:`]) {
      const refused = await fetch(url, { headers: basic(wrong) });
      expect(refused.status, wrong).toBe(401);
      expect(await refused.json()).toEqual({ error: "Couldn't authenticate you" });
    }
    // An API token is not an OAuth token, and the other way round.
    expect((await fetch(url, { headers: AUTH.zendesk(api_key) })).status).toBe(401);
    const { access_token } = (await (await post("/zendesk/zendesk-a/tokens", {})).json()) as { access_token: string };
    expect((await fetch(url, { headers: basic(`agent@example.com/token:${access_token}`) })).status).toBe(401);
  });

  it("a closed account answers the platform's closed status forever", async () => {
    for (const platform of SANDBOX_PLATFORMS) {
      const id = accountOf(platform.key);
      const { access_token } = (await (await post(`/${platform.key}/${id}/tokens`, {})).json()) as { access_token: string };
      await fetch(`${sandbox.url}/control/accounts/${platform.key}/${id}/faults`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ closed: true }),
      });
      const answer = await fetch(`${sandbox.url}${LIST[platform.key](id)}`, { headers: { ...ROUTE[platform.key]?.(id), ...AUTH[platform.key](access_token) } });
      expect([403, 404]).toContain(answer.status);
      expect(answer.status).toBe(platform.errors.closed().status);
    }
  });

  it("scales a platform's limit per account: a tenth of Shopify's bucket is 4 requests", async () => {
    expect((await post("", { platform: "shopify", id: "slow-shop", size: 20, rate_limit_scale: 0.1 })).status).toBe(201);
    const { access_token } = (await (await post("/shopify/slow-shop/tokens", {})).json()) as { access_token: string };
    const get = () => fetch(`${sandbox.url}${LIST.shopify("slow-shop")}`, { headers: AUTH.shopify(access_token) });
    for (let i = 1; i <= 4; i++) expect((await get()).headers.get("x-shopify-shop-api-call-limit")).toBe(`${i}/4`);
    const limited = await get();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await post("", { platform: "shopify", id: "bad-scale", size: 20, rate_limit_scale: 0 })).status).toBe(400);
  });
});
