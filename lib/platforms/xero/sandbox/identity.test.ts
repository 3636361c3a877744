// Xero's identity service on the sandbox over HTTP: consent to several organisations, the code
// exchanged with HTTP Basic client auth, JWT claims, /connections listing exactly the grant's tenants,
// refresh rotation with its 30-minute grace, expiry in Xero's 401 shape, disconnecting one tenant,
// revocation, and the sandbox's browserless grant.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { xeroIdentityPlatform as xeroStub } from "./identity.testing";

const TENANTS = [
  { id: "3f1e2c4a-0b6d-4c1e-9a7f-000000000001", name: "Demo Company (Global)" },
  { id: "3f1e2c4a-0b6d-4c1e-9a7f-000000000002", name: "Harbour Cafe Ltd" },
  { id: "3f1e2c4a-0b6d-4c1e-9a7f-000000000003", name: "Kauri Builders" },
];
const REDIRECT = "https://app.example.com/link/oauth/callback";
const MINUTE = 60_000;
const basic = (id = "xero-client", secret = "xero-secret") => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;

interface TokenAnswer {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  token_type: string;
  scope: string;
}

interface Connection {
  id: string;
  authEventId: string;
  tenantId: string;
  tenantType: string;
  tenantName: string;
  createdDateUtc: string;
  updatedDateUtc: string;
}

const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString("utf8")) as Record<string, unknown>;

describe("Xero identity on the sandbox", () => {
  let sandbox: SandboxServer;
  let now = Date.parse("2026-12-03T12:00:00Z");
  const base = () => `${sandbox.url}/xero`;

  beforeAll(async () => {
    sandbox = await startSandboxServer({ platforms: [xeroStub], clock: () => now });
    for (const [i, tenant] of TENANTS.entries())
      sandbox.registry.create({ platform: "xero", id: tenant.id, name: tenant.name, seed: i + 1, size: 10, historyMonths: 6, rateLimited: false });
  });
  afterAll(() => sandbox?.stop());

  /** The consent page, ticking `tenants`: the callback's query. */
  async function consent(tenants: string[], decision = "allow"): Promise<URLSearchParams> {
    const query = new URLSearchParams({
      response_type: "code",
      client_id: "xero-client",
      redirect_uri: REDIRECT,
      scope: "offline_access accounting.invoices.read accounting.contacts.read",
      state: "st-1",
    });
    const page = await fetch(`${base()}/identity/connect/authorize?${query}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    for (const tenant of TENANTS) expect(html).toContain(`value="${tenant.id}"`);
    expect(html.match(/type="checkbox"/g)).toHaveLength(TENANTS.length);
    const form = new URLSearchParams(query);
    form.set("decision", decision);
    tenants.forEach((id, i) => form.set(`account.${i}`, id));
    const answer = await fetch(`${base()}/identity/connect/authorize`, { method: "POST", body: form, redirect: "manual" });
    expect(answer.status).toBe(302);
    return new URL(answer.headers.get("location")!).searchParams;
  }

  const token = (body: Record<string, string>, authorization: string | null = basic()) =>
    fetch(`${base()}/identity/connect/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...(authorization ? { authorization } : {}) },
      body: new URLSearchParams(body),
    });
  const connections = (accessToken: string, query = "") => fetch(`${base()}/connections${query}`, { headers: { authorization: `Bearer ${accessToken}` } });
  const organisation = (accessToken: string, tenantId: string) =>
    fetch(`${base()}/api.xro/2.0/Organisation`, { headers: { authorization: `Bearer ${accessToken}`, "xero-tenant-id": tenantId } });

  async function connect(tenants: string[]): Promise<TokenAnswer> {
    const code = (await consent(tenants)).get("code")!;
    const answer = await token({ grant_type: "authorization_code", code, redirect_uri: REDIRECT });
    expect(answer.status).toBe(200);
    return (await answer.json()) as TokenAnswer;
  }

  it("several organisations ticked: one code, exchanged with Basic auth for a 30-minute JWT whose grant lists exactly those tenants", async () => {
    const back = await consent([TENANTS[0].id, TENANTS[2].id]);
    expect(back.get("state")).toBe("st-1");
    const code = back.get("code")!;
    // The app authenticates with HTTP Basic: credentials in the body alone are refused.
    const inBody = await token(
      { grant_type: "authorization_code", code, redirect_uri: REDIRECT, client_id: "xero-client", client_secret: "xero-secret" },
      null,
    );
    expect(inBody.status).toBe(401);
    expect(await inBody.json()).toMatchObject({ error: "invalid_client" });

    const answer = await token({ grant_type: "authorization_code", code, redirect_uri: REDIRECT });
    expect(answer.status).toBe(200);
    const granted = (await answer.json()) as TokenAnswer;
    expect(granted).toMatchObject({ token_type: "Bearer", expires_in: 1800, scope: "offline_access accounting.invoices.read accounting.contacts.read" });
    const jwt = claims(granted.access_token);
    expect(jwt).toMatchObject({
      iss: "https://identity.xero.com",
      client_id: "xero-client",
      exp: Math.floor(now / 1000) + 1800,
      scope: ["offline_access", "accounting.invoices.read", "accounting.contacts.read"],
    });
    expect(jwt.xero_userid).toMatch(/^[0-9a-f-]{36}$/);
    expect(jwt.authentication_event_id).toMatch(/^[0-9a-f-]{36}$/);

    const listed = (await (await connections(granted.access_token)).json()) as Connection[];
    expect(listed.map((c) => [c.tenantId, c.tenantName])).toEqual([
      [TENANTS[0].id, TENANTS[0].name],
      [TENANTS[2].id, TENANTS[2].name],
    ]);
    for (const c of listed)
      expect(c).toMatchObject({
        authEventId: jwt.authentication_event_id,
        tenantType: "ORGANISATION",
        createdDateUtc: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}$/),
      });
    expect(new Set(listed.map((c) => c.id)).size).toBe(2);
    // Filtered by another sign-in's authEventId: none of these.
    expect(await (await connections(granted.access_token, "?authEventId=00000000-0000-0000-0000-000000000000")).json()).toEqual([]);

    // The token reads the grant's tenants, and no other.
    expect((await organisation(granted.access_token, TENANTS[0].id)).status).toBe(200);
    expect((await organisation(granted.access_token, TENANTS[2].id)).status).toBe(200);
    expect((await organisation(granted.access_token, TENANTS[1].id)).status).toBe(401);

    // The code is single use.
    expect(await (await token({ grant_type: "authorization_code", code, redirect_uri: REDIRECT })).json()).toMatchObject({ error: "invalid_grant" });
  });

  it("a denied consent, or none ticked, redirects with access_denied", async () => {
    expect((await consent([TENANTS[0].id], "deny")).get("error")).toBe("access_denied");
    expect((await consent([])).get("error")).toBe("access_denied");
  });

  it("refresh rotates for the whole grant; the used refresh token answers the same successor for 30 minutes, then is refused", async () => {
    const first = await connect([TENANTS[0].id, TENANTS[1].id]);
    const refresh = (refreshToken: string) => token({ grant_type: "refresh_token", refresh_token: refreshToken });
    const secondAnswer = await refresh(first.refresh_token);
    expect(secondAnswer.status).toBe(200);
    const second = (await secondAnswer.json()) as TokenAnswer;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);
    expect(claims(second.access_token).authentication_event_id).toBe(claims(first.access_token).authentication_event_id);
    for (const tenant of [TENANTS[0], TENANTS[1]]) expect((await organisation(second.access_token, tenant.id)).status).toBe(200);
    expect((await organisation(first.access_token, TENANTS[0].id)).status).toBe(401);
    expect(((await (await connections(second.access_token)).json()) as Connection[]).map((c) => c.tenantId)).toEqual([TENANTS[0].id, TENANTS[1].id]);

    // A retry within the grace period (the client lost the answer) gets the same successor.
    now += 29 * MINUTE;
    const retried = (await (await refresh(first.refresh_token)).json()) as TokenAnswer;
    expect(retried.refresh_token).toBe(second.refresh_token);
    expect(retried.access_token).toBe(second.access_token);

    // After it, the old refresh token is refused; the successor still refreshes.
    now += 2 * MINUTE;
    const late = await refresh(first.refresh_token);
    expect(late.status).toBe(400);
    expect(await late.json()).toMatchObject({ error: "invalid_grant" });
    expect((await refresh(second.refresh_token)).status).toBe(200);
  });

  it("an expired access token gets Xero's 401 problem, on /connections and on the API", async () => {
    const granted = await connect([TENANTS[1].id]);
    now += 31 * MINUTE;
    for (const answer of [await connections(granted.access_token), await organisation(granted.access_token, TENANTS[1].id)]) {
      expect(answer.status).toBe(401);
      const body = (await answer.json()) as { Title: string; Status: number; Detail: string };
      expect(body).toMatchObject({ Title: "Unauthorized", Status: 401 });
      expect(body.Detail).toMatch(/^TokenExpired: /);
    }
    const forged = await connections("not-a-token");
    expect(await forged.json()).toMatchObject({ Title: "Unauthorized", Status: 401, Detail: "AuthenticationUnsuccessful" });
  });

  it("an unused refresh token lapses after 60 days", async () => {
    const granted = await connect([TENANTS[0].id]);
    now += 61 * 24 * 60 * MINUTE;
    expect(await (await token({ grant_type: "refresh_token", refresh_token: granted.refresh_token })).json()).toMatchObject({ error: "invalid_grant" });
  });

  it("DELETE /connections/{id} disconnects one tenant; revoking the refresh token ends the grant", async () => {
    const granted = await connect([TENANTS[0].id, TENANTS[1].id]);
    const listed = (await (await connections(granted.access_token)).json()) as Connection[];
    const gone = listed.find((c) => c.tenantId === TENANTS[0].id)!;
    const deleted = await fetch(`${base()}/connections/${gone.id}`, { method: "DELETE", headers: { authorization: `Bearer ${granted.access_token}` } });
    expect(deleted.status).toBe(204);
    expect(((await (await connections(granted.access_token)).json()) as Connection[]).map((c) => c.tenantId)).toEqual([TENANTS[1].id]);
    expect((await organisation(granted.access_token, TENANTS[0].id)).status).toBe(401);
    expect((await organisation(granted.access_token, TENANTS[1].id)).status).toBe(200);
    expect((await fetch(`${base()}/connections/${gone.id}`, { method: "DELETE", headers: { authorization: `Bearer ${granted.access_token}` } })).status).toBe(
      404,
    );

    const revoked = await fetch(`${base()}/identity/connect/revocation`, {
      method: "POST",
      headers: { authorization: basic(), "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: granted.refresh_token }),
    });
    expect(revoked.status).toBe(200);
    expect((await organisation(granted.access_token, TENANTS[1].id)).status).toBe(401);
    expect(await (await token({ grant_type: "refresh_token", refresh_token: granted.refresh_token })).json()).toMatchObject({ error: "invalid_grant" });
  });

  it("tests get a grant for a set of tenants without the browser; an unknown tenant is a 400 naming it", async () => {
    const made = await fetch(`${base()}/sandbox/grants`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ tenants: [TENANTS[2].id, TENANTS[1].id] }),
    });
    expect(made.status).toBe(201);
    const grant = (await made.json()) as TokenAnswer & { client_id: string; client_secret: string; auth_event_id: string };
    expect(claims(grant.access_token).authentication_event_id).toBe(grant.auth_event_id);
    expect(((await (await connections(grant.access_token)).json()) as Connection[]).map((c) => c.tenantId)).toEqual([TENANTS[2].id, TENANTS[1].id]);
    const refreshed = await token({ grant_type: "refresh_token", refresh_token: grant.refresh_token }, basic(grant.client_id, grant.client_secret));
    expect(refreshed.status).toBe(200);

    const unknown = await fetch(`${base()}/sandbox/grants`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ tenants: [TENANTS[0].id, "nope"] }),
    });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ field: "tenants.1" });
  });
});
