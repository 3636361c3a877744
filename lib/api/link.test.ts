// Link through the public API's routes, end to end: a re-link session made with POST /link/sessions for
// a connection of the key's organization and environment (another's is a 400 naming connection_id),
// then Link's own routes and the sandbox's consent page, then the public token exchange: the connection
// keeps its id and its access token. And a connection whose public token expired before it was
// exchanged, recovered with POST /connections/{id}/access-token.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as linkSessionsRoute } from "@/app/api/v1/link/sessions/route";
import { POST as exchangeRoute } from "@/app/api/v1/item/public_token/exchange/route";
import { GET as readObject } from "@/app/api/v1/[category]/[object]/route";
import { POST as accessTokenRoute } from "@/app/api/v1/connections/[id]/access-token/route";
import { POST as apiKeyRoute } from "@/app/link/api/api-key/route";
import { POST as oauthRoute } from "@/app/link/api/oauth/route";
import { GET as oauthCallback } from "@/app/link/oauth/callback/route";
import { hashToken } from "@/lib/crypto";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { testDatabaseKinds } from "@/lib/db/testing";
import { createConnection } from "@/lib/sync/connections";
import { syncDue } from "@/lib/sync/drive";
import { provideEngine } from "@/lib/sync/engine";
import { createSyncHarness, type SyncHarness } from "@/lib/sync/testing";
import { createApiKey } from "./keys";

describe.each(testDatabaseKinds())("Link through the API (%s)", (kind) => {
  let h: SyncHarness;
  let auth: string;
  let productionAuth: string;
  let otherAuth: string;

  const basic = (clientId: string, secret: string) => `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`;
  const post = async (route: unknown, path: string, body: unknown, authorization = auth, params: Record<string, string> = {}) => {
    const request = new Request(`http://localhost:3000${path}`, {
      method: "POST",
      headers: { authorization, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const response = await (route as (r: Request, c: { params: Promise<Record<string, string>> }) => Promise<Response>)(request, {
      params: Promise.resolve(params),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  /** The status of a data read with a connection's access token. */
  const read = async (category: string, object: string, accessToken: string) => {
    const path = `/api/v1/${category}/${object}?access_token=${encodeURIComponent(accessToken)}&limit=1`;
    const response = await readObject(new Request(`http://localhost:3000${path}`, { headers: { authorization: auth } }), {
      params: Promise.resolve({ category, object }),
    });
    return response.status;
  };

  /** A Shopify store connected the way the harness does, with the access token its creation returned. */
  async function connectStore(id: string) {
    await h.control("", "POST", { platform: "shopify", id, size: 30, seed: 2, rate_limited: false });
    const token = (await (await h.control(`/shopify/${id}/tokens`, "POST", {})).json()) as { access_token: string; refresh_token: string; expires_at: string };
    return createConnection(h.database.db, {
      organizationId: h.organizationId,
      environment: "sandbox",
      platform: "shopify",
      platformAccountId: id,
      credentials: { kind: "oauth", accessToken: token.access_token, refreshToken: token.refresh_token, expiresAt: Date.parse(token.expires_at), scopes: [] },
    });
  }

  /** The end user in Link: starts the sign-in, allows it on the sandbox's consent page, lands on Link's callback. */
  async function relinkInBrowser(linkToken: string, platform: string): Promise<{ publicToken: string; metadata: Record<string, unknown> }> {
    const started = await post(oauthRoute, "/link/api/oauth", { token: linkToken, platform });
    expect(started.status).toBe(200);
    const authorize = new URL(started.body.authorize_url as string);
    const form = new URLSearchParams(authorize.searchParams);
    form.set("decision", "allow");
    const answer = await fetch(authorize.origin + authorize.pathname, { method: "POST", body: form, redirect: "manual" });
    expect(answer.status).toBe(302);
    const back = new URL(answer.headers.get("location")!);
    const page = await (await oauthCallback(new Request(`http://localhost:3000/link/oauth/callback${back.search}`))).text();
    const result = JSON.parse(/var result=(\{.*?\});/.exec(page)![1].replace(/\\u003c/g, "<")) as {
      ok: boolean;
      public_token: string;
      metadata: Record<string, unknown>;
    };
    expect(result.ok).toBe(true);
    return { publicToken: result.public_token, metadata: result.metadata };
  }

  /** The end user connects a QuickBooks company with an API key in Link: the public token Link hands the team. */
  async function connectCompany(company: string): Promise<{ publicToken: string; connectionId: string }> {
    await h.control("", "POST", { platform: "quickbooks", id: company, size: 20, seed: 3, rate_limited: false });
    const { api_key } = (await (await h.control(`/quickbooks/${company}/api-keys`, "POST", {})).json()) as { api_key: string };
    const session = await post(linkSessionsRoute, "/api/v1/link/sessions", { platforms: ["quickbooks"] });
    const connected = await post(apiKeyRoute, "/link/api/api-key", { token: session.body.link_token, platform: "quickbooks", account: company, api_key });
    expect(connected.status).toBe(200);
    return { publicToken: connected.body.public_token as string, connectionId: (connected.body.metadata as { connection_id: string }).connection_id };
  }
  const issue = (connectionId: string, authorization = auth) =>
    post(accessTokenRoute, `/api/v1/connections/${connectionId}/access-token`, {}, authorization, { id: connectionId });

  beforeAll(async () => {
    h = await createSyncHarness({ kind });
    provideEngine(h.engine);
    const key = await createApiKey(h.database.db, { organizationId: h.organizationId, environment: "sandbox", name: "Backend" });
    auth = basic(key.clientId, key.secret);
    const production = await createApiKey(h.database.db, { organizationId: h.organizationId, environment: "production", name: "Live" });
    productionAuth = basic(production.clientId, production.secret);
    const other = await createOrganizationWithOwner(h.database.db, {
      name: "Other",
      slug: `other-api-link-${kind}`,
      owner: { email: "o@example.com", name: "O", passwordHash: "x" },
    });
    const otherKey = await createApiKey(h.database.db, { organizationId: other.organization.id, environment: "sandbox", name: "Other" });
    otherAuth = basic(otherKey.clientId, otherKey.secret);
  });
  afterAll(() => h?.close());

  it("re-links a connection through POST /link/sessions: it keeps its id and access token and is healthy again", async () => {
    const store = await connectStore("api-relink-shop");
    await syncDue(h.engine, store.id);
    await h.database.db.connection.update({ where: { id: store.id }, data: { health: "NEEDS_UPDATE", healthDetail: "Access revoked" } });
    const before = await h.database.db.connection.findUniqueOrThrow({ where: { id: store.id } });

    const session = await post(linkSessionsRoute, "/api/v1/link/sessions", { connection_id: store.id, end_user_id: "user-7" });
    expect(session.status).toBe(201);
    expect(session.body).toMatchObject({ link_token: expect.stringMatching(/^link_/), link_url: expect.stringContaining("/link?token=") });
    expect((await h.database.db.linkSession.findFirstOrThrow({ where: { tokenHash: hashToken(session.body.link_token as string) } })).connectionId).toBe(
      store.id,
    );

    const { publicToken, metadata } = await relinkInBrowser(session.body.link_token as string, "shopify");
    expect(metadata).toMatchObject({ connection_id: store.id, is_relink: true, platform_account_id: "api-relink-shop" });
    const exchanged = await post(exchangeRoute, "/api/v1/item/public_token/exchange", { public_token: publicToken });
    expect(exchanged).toEqual({ status: 200, body: { access_token: null, connection_id: store.id, platform: "shopify", is_relink: true } });

    const after = await h.database.db.connection.findUniqueOrThrow({ where: { id: store.id } });
    expect(after).toMatchObject({ id: store.id, health: "HEALTHY", accessTokenHash: before.accessTokenHash });
    expect(after.credentialsEncrypted).not.toBe(before.credentialsEncrypted);
    expect(await read("commerce", "orders", store.accessToken)).toBe(200);
  });

  it("refuses a connection of another organization or environment with a 400 naming connection_id", async () => {
    const store = await connectStore("api-relink-theirs");
    for (const authorization of [otherAuth, productionAuth]) {
      const refused = await post(linkSessionsRoute, "/api/v1/link/sessions", { connection_id: store.id }, authorization);
      expect(refused).toMatchObject({ status: 400, body: { error_type: "INVALID_REQUEST", field: "connection_id" } });
    }
    expect(await post(linkSessionsRoute, "/api/v1/link/sessions", { connection_id: "conn_01JNOSUCHCONNECTION0000000" })).toMatchObject({
      status: 400,
      body: { field: "connection_id" },
    });
    expect(await h.database.db.linkSession.count({ where: { connectionId: store.id } })).toBe(0);
  });

  it("recovers a connection whose public token expired unexchanged: a new access token, shown once, reads its data", async () => {
    const { publicToken, connectionId } = await connectCompany("8100000001");
    // The connection syncs from the end of Link on, exchanged or not.
    await syncDue(h.engine, connectionId);
    expect((await h.database.db.connection.findUniqueOrThrow({ where: { id: connectionId } })).isReady).toBe(true);
    // Ten minutes pass: the exchange is refused for good.
    await h.database.db.linkSession.updateMany({ where: { connectionId }, data: { publicTokenExpiresAt: new Date(Date.now() - 1000) } });
    expect(await post(exchangeRoute, "/api/v1/item/public_token/exchange", { public_token: publicToken })).toMatchObject({
      status: 400,
      body: { error_code: "INVALID_PUBLIC_TOKEN" },
    });

    const issued = await issue(connectionId);
    expect(issued).toEqual({ status: 200, body: { access_token: expect.stringMatching(/^access_/), connection_id: connectionId } });
    const accessToken = issued.body.access_token as string;
    expect((await h.database.db.connection.findUniqueOrThrow({ where: { id: connectionId } })).accessTokenHash).toBe(hashToken(accessToken));
    expect(await read("accounting", "invoices", accessToken)).toBe(200);
    const event = await h.database.db.event.findFirstOrThrow({ where: { connectionId, type: "CONNECTION_UPDATED" }, orderBy: { seq: "desc" } });
    expect(event.data).toMatchObject({ connection_id: connectionId, reason: "access_token_issued", health: "HEALTHY", previous_health: "HEALTHY" });
    expect(JSON.stringify(event.data)).not.toContain(accessToken);
  });

  it("a new access token replaces the previous one at once, and spends a public token not yet exchanged", async () => {
    const { publicToken, connectionId } = await connectCompany("8100000002");
    await syncDue(h.engine, connectionId);
    const first = (await issue(connectionId)).body.access_token as string;
    expect(await read("accounting", "invoices", first)).toBe(200);
    // Within its 10 minutes, the public token no longer exchanges: it would replace the token just issued.
    expect(await post(exchangeRoute, "/api/v1/item/public_token/exchange", { public_token: publicToken })).toMatchObject({
      status: 400,
      body: { error_code: "INVALID_PUBLIC_TOKEN" },
    });
    const second = (await issue(connectionId)).body.access_token as string;
    expect(second).not.toBe(first);
    expect(await read("accounting", "invoices", first)).toBe(404);
    expect(await read("accounting", "invoices", second)).toBe(200);
  });

  it("an exchange racing a new access token ends with one working token and no error, in either order", async () => {
    for (let round = 0; round < 6; round++) {
      const { publicToken, connectionId } = await connectCompany(`81000001${String(round).padStart(2, "0")}`);
      const [exchanged, issued] = await Promise.all([
        post(exchangeRoute, "/api/v1/item/public_token/exchange", { public_token: publicToken }),
        issue(connectionId),
      ]);
      expect(issued.status).toBe(200);
      expect([200, 400]).toContain(exchanged.status);
      const hash = (await h.database.db.connection.findUniqueOrThrow({ where: { id: connectionId } })).accessTokenHash;
      // The one issued last works: the token from POST /access-token, unless the exchange came after it,
      // which it cannot, since the new token spends the public token.
      expect(hash).toBe(hashToken(issued.body.access_token as string));
      if (exchanged.status === 400) expect(exchanged.body.error_code).toBe("INVALID_PUBLIC_TOKEN");
    }
  });

  it("issues access tokens only for the key's organization and environment", async () => {
    const store = await connectStore("api-token-theirs");
    for (const authorization of [otherAuth, productionAuth])
      expect(await issue(store.id, authorization)).toMatchObject({ status: 404, body: { error_code: "NOT_FOUND" } });
    expect((await h.database.db.connection.findUniqueOrThrow({ where: { id: store.id } })).accessTokenHash).toBe(hashToken(store.accessToken));
  });
});
