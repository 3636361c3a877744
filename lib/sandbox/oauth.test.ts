// The authorization-code flow over HTTP, at Shopify's paths: consent page, code, exchange, refresh,
// revocation, and each way it can go wrong.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shopify } from "@/lib/platforms/shopify/sandbox/platform";
import { startSandboxServer, type SandboxServer } from "./server";

describe("OAuth on the sandbox (Shopify's endpoints)", () => {
  let sandbox: SandboxServer;
  const redirect = "https://app.example.com/callback";
  beforeAll(async () => {
    sandbox = await startSandboxServer({ platforms: [shopify] });
    sandbox.registry.create({ platform: "shopify", id: "oauth-shop", name: "OAuth Shop", seed: 5, size: 50, historyMonths: 12, rateLimited: false });
  });
  afterAll(() => sandbox?.stop());

  const shopUrl = () => `${sandbox.url}/shopify/oauth-shop`;

  async function authorize(decision: "allow" | "deny", clientId = "client-1") {
    const query = new URLSearchParams({ client_id: clientId, scope: "read_orders,read_products", redirect_uri: redirect, state: "s-123" });
    const consent = await fetch(`${shopUrl()}/admin/oauth/authorize?${query}`);
    expect(consent.status).toBe(200);
    const html = await consent.text();
    expect(html).toContain("read_orders");
    expect(html).toContain("client-1");
    const form = new URLSearchParams({
      client_id: clientId,
      redirect_uri: redirect,
      scope: "read_orders,read_products",
      state: "s-123",
      account: "oauth-shop",
      decision,
    });
    const answer = await fetch(`${shopUrl()}/admin/oauth/authorize`, { method: "POST", body: form, redirect: "manual" });
    expect(answer.status).toBe(302);
    return new URL(answer.headers.get("location")!);
  }

  const exchange = (body: Record<string, string>) =>
    fetch(`${shopUrl()}/admin/oauth/access_token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const orders = (token: string) => fetch(`${shopUrl()}/admin/api/2024-10/orders.json?limit=5&status=any`, { headers: { "X-Shopify-Access-Token": token } });

  it("grants a token for an approved code, once, and the token reads data", async () => {
    const back = await authorize("allow");
    expect(back.searchParams.get("state")).toBe("s-123");
    expect(back.searchParams.get("shop")).toBe("oauth-shop.myshopify.com");
    const code = back.searchParams.get("code")!;
    const granted = await exchange({ client_id: "client-1", client_secret: "secret", code });
    expect(granted.status).toBe(200);
    const token = (await granted.json()) as { access_token: string; scope: string; refresh_token: string; expires_in: number };
    expect(token.scope).toBe("read_orders,read_products");
    expect(token.expires_in).toBeGreaterThan(3500);
    expect((await orders(token.access_token)).status).toBe(200);

    const reused = await exchange({ client_id: "client-1", client_secret: "secret", code });
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("refreshes: the new token works, the old one and the used refresh token do not", async () => {
    const code = (await authorize("allow")).searchParams.get("code")!;
    const first = (await (await exchange({ client_id: "client-1", client_secret: "secret", code })).json()) as { access_token: string; refresh_token: string };
    const refreshed = await exchange({ client_id: "client-1", client_secret: "secret", grant_type: "refresh_token", refresh_token: first.refresh_token });
    const second = (await refreshed.json()) as { access_token: string };
    expect((await orders(second.access_token)).status).toBe(200);
    expect((await orders(first.access_token)).status).toBe(401);
    const again = await exchange({ client_id: "client-1", client_secret: "secret", grant_type: "refresh_token", refresh_token: first.refresh_token });
    expect(await again.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("answers a denial with access_denied and no code", async () => {
    const back = await authorize("deny");
    expect(back.searchParams.get("error")).toBe("access_denied");
    expect(back.searchParams.get("code")).toBeNull();
  });

  it("refuses a code used by another client, a missing secret and a missing redirect_uri", async () => {
    const code = (await authorize("allow")).searchParams.get("code")!;
    expect(await (await exchange({ client_id: "client-1", code })).json()).toMatchObject({ error: "invalid_client" });
    expect(await (await exchange({ client_id: "someone-else", client_secret: "s", code })).json()).toMatchObject({ error: "invalid_client" });
    const noRedirect = await fetch(`${shopUrl()}/admin/oauth/authorize?client_id=c`);
    expect(noRedirect.status).toBe(400);
    expect(await noRedirect.json()).toMatchObject({ error_description: "redirect_uri is required" });
  });

  it("uninstalling the app revokes every token of the shop", async () => {
    const code = (await authorize("allow")).searchParams.get("code")!;
    const { access_token } = (await (await exchange({ client_id: "client-1", client_secret: "secret", code })).json()) as { access_token: string };
    const uninstall = await fetch(`${shopUrl()}/admin/api_permissions/current.json`, { method: "DELETE", headers: { "X-Shopify-Access-Token": access_token } });
    expect(uninstall.status).toBe(200);
    const after = await orders(access_token);
    expect(after.status).toBe(401);
    expect(await after.json()).toEqual({ errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
  });
});
