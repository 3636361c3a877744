// Naming the organisations a Xero sign-in connected: the connections URL next to the API's base,
// this sign-in's connections only (authEventId = the token's authentication_event_id), organisations
// only, and the grant's tenants as the sandbox lists them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { xeroIdentityPlatform } from "./sandbox/identity.testing";
import { accessTokenClaims, connectionsUrl, xeroOAuthAccount } from "./tenants";
import { ConnectorError, type ConnectorContext } from "../types";

const jwt = (claims: Record<string, unknown>) => `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.sig`;
const oauth = (accessToken: string) => ({ kind: "oauth" as const, accessToken, refreshToken: "rt", expiresAt: null, scopes: [] });
const callback = (context: ConnectorContext) => ({ query: new URLSearchParams(), requestedAccount: "", context });

describe("Xero tenants of a sign-in", () => {
  it("finds /connections next to the Accounting API's base, real or sandbox", () => {
    expect(connectionsUrl("https://api.xero.com/api.xro/2.0")).toBe("https://api.xero.com/connections");
    expect(connectionsUrl("http://127.0.0.1:4010/xero/api.xro/2.0/")).toBe("http://127.0.0.1:4010/xero/connections");
    expect(connectionsUrl("http://127.0.0.1:4010/xero")).toBe("http://127.0.0.1:4010/xero/connections");
  });

  it("keeps this sign-in's organisations: other sign-ins' connections and other tenant types are left out", async () => {
    const token = jwt({ authentication_event_id: "event-now", xero_userid: "user-1" });
    const seen: { url: string; authorization: string | null }[] = [];
    const fetch = (async (url: string, init?: RequestInit) => {
      seen.push({ url, authorization: new Headers(init?.headers).get("authorization") });
      return Response.json([
        { id: "c1", authEventId: "event-before", tenantId: "t-old", tenantType: "ORGANISATION", tenantName: "Connected last year" },
        { id: "c2", authEventId: "event-now", tenantId: "t-1", tenantType: "ORGANISATION", tenantName: "Harbour Cafe" },
        { id: "c3", authEventId: "event-now", tenantId: "t-2", tenantType: "PRACTICEMANAGER", tenantName: "A practice" },
        { id: "c4", authEventId: "event-now", tenantId: "t-3", tenantType: "ORGANISATION", tenantName: null },
      ]);
    }) as typeof globalThis.fetch;
    const result = await xeroOAuthAccount(callback({ baseUrl: "https://api.xero.com/api.xro/2.0", credentials: oauth(token), fetch }));
    expect(result).toEqual({
      choices: [
        { id: "t-1", name: "Harbour Cafe" },
        { id: "t-3", name: "t-3" },
      ],
    });
    expect(seen).toEqual([{ url: "https://api.xero.com/connections", authorization: `Bearer ${token}` }]);
    expect(accessTokenClaims("opaque")).toBeNull();
  });

  it("no connection of this sign-in names nothing; a refused token is auth_revoked", async () => {
    const none = (async () => Response.json([])) as unknown as typeof globalThis.fetch;
    expect(await xeroOAuthAccount(callback({ baseUrl: "https://api.xero.com/api.xro/2.0", credentials: oauth(jwt({})), fetch: none }))).toBeNull();
    const refused = (async () =>
      Response.json({ Title: "Unauthorized", Status: 401, Detail: "AuthenticationUnsuccessful" }, { status: 401 })) as unknown as typeof globalThis.fetch;
    const error = await xeroOAuthAccount(callback({ baseUrl: "https://api.xero.com/api.xro/2.0", credentials: oauth(jwt({})), fetch: refused })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ kind: "auth_revoked" });
  });

  describe("against the sandbox", () => {
    let sandbox: SandboxServer;
    const tenants = [
      { id: "8a0c5e3e-1111-4c1e-9a7f-000000000001", name: "Demo Company (Global)" },
      { id: "8a0c5e3e-1111-4c1e-9a7f-000000000002", name: "Kauri Builders" },
    ];
    beforeAll(async () => {
      sandbox = await startSandboxServer({ platforms: [xeroIdentityPlatform] });
      for (const [i, t] of tenants.entries())
        sandbox.registry.create({ platform: "xero", id: t.id, name: t.name, seed: i + 1, size: 5, historyMonths: 3, rateLimited: false });
    });
    afterAll(() => sandbox?.stop());

    it("names exactly the grant's tenants", async () => {
      const grant = (await (
        await fetch(`${sandbox.url}/xero/sandbox/grants`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ tenants: tenants.map((t) => t.id) }),
        })
      ).json()) as { access_token: string };
      const result = await xeroOAuthAccount(callback({ baseUrl: `${sandbox.url}/xero/api.xro/2.0`, credentials: oauth(grant.access_token), fetch }));
      expect(result).toEqual({ choices: tenants });
      const single = (await (
        await fetch(`${sandbox.url}/xero/sandbox/grants`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ tenants: [tenants[1].id] }),
        })
      ).json()) as { access_token: string };
      expect(await xeroOAuthAccount(callback({ baseUrl: `${sandbox.url}/xero/api.xro/2.0`, credentials: oauth(single.access_token), fetch }))).toEqual({
        choices: [tenants[1]],
      });
    });
  });
});
