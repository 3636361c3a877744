// The Link flow against the sandbox platforms over real HTTP: sessions, OAuth consent allowed and
// denied, API keys right and wrong, expiry, re-linking, re-link URLs (expiry, rotation, forgery, no
// session until the end user starts), and the single-use public token exchange.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import { POST as relinkRoute } from "@/app/link/api/relink/route";
import type { LinkAppProps } from "@/app/link/link-app";
import LinkPage from "@/app/link/page";
import { hashToken } from "@/lib/crypto";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { testDatabaseKinds } from "@/lib/db/testing";
import { syncDue } from "@/lib/sync/drive";
import { createSyncHarness, type SyncHarness } from "@/lib/sync/testing";
import { RELINK_URL_TTL_MS, relinkUrl, verifyRelinkCapability } from "@/lib/sync/health";
import { deleteConnection } from "@/lib/sync/connections";
import {
  completeOAuth,
  connectWithApiKey,
  createLinkSession,
  startRelinkSession,
  exchangePublicToken,
  LinkError,
  openLinkSession,
  startOAuth,
  PUBLIC_TOKEN_TTL_MS,
} from "./sessions";
import { provideEngine } from "@/lib/sync/engine";

describe.each(testDatabaseKinds())("Link on %s", (kind) => {
  let h: SyncHarness;
  let scope: { organizationId: string; environment: "sandbox" };

  beforeAll(async () => {
    h = await createSyncHarness({ kind });
    provideEngine(h.engine);
    scope = { organizationId: h.organizationId, environment: "sandbox" };
    await h.control("", "POST", { platform: "shopify", id: "link-shop", size: 150, seed: 3, rate_limited: false });
    await h.control("", "POST", { platform: "quickbooks", id: "4620816365", size: 120, seed: 5, rate_limited: false });
    await h.control("", "POST", { platform: "zendesk", id: "link-desk", size: 80, seed: 7, rate_limited: false });
  });
  afterAll(() => h?.close());

  /** What the end user does on the sandbox consent page: the redirect back, as Link's callback receives it. */
  async function consent(authorizeUrl: string, decision: "allow" | "deny", account?: string): Promise<URLSearchParams> {
    const url = new URL(authorizeUrl);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("authorize access");
    const form = new URLSearchParams(url.searchParams);
    form.set("decision", decision);
    if (account) form.set("account", account);
    const answer = await fetch(url.origin + url.pathname, { method: "POST", body: form, redirect: "manual" });
    expect(answer.status).toBe(302);
    const back = new URL(answer.headers.get("location")!);
    expect(back.pathname).toBe("/link/oauth/callback");
    return back.searchParams;
  }

  const linkErrors = async () =>
    (await h.database.db.event.findMany({ where: { organizationId: h.organizationId, type: "CONNECTION_LINK_ERROR" }, orderBy: { seq: "asc" } })).map(
      (e) => e.data as Record<string, unknown>,
    );

  it("connects a Shopify store through OAuth consent, and the public token is exchanged once for an access token that reads its data", async () => {
    const session = await createLinkSession(h.engine, scope, { platforms: ["shopify"], endUserId: "user-42" });
    expect(session.linkUrl).toContain(`/link?token=${session.token}`);
    const view = await openLinkSession(h.engine, session.token);
    expect(view.platforms.map((p) => p.key)).toEqual(["shopify"]);
    expect(view.platforms[0].objects).toEqual(expect.arrayContaining(["orders", "customers", "products"]));
    expect(view.platforms[0].accountField?.suffix).toBe(".myshopify.com");

    const authorizeUrl = await startOAuth(h.engine, session.token, { platform: "shopify", account: "https://Link-Shop.myshopify.com/admin" });
    expect(authorizeUrl).toContain("/shopify/link-shop/admin/oauth/authorize");
    expect(new URL(authorizeUrl).searchParams.get("scope")).toBe("read_products,read_customers,read_orders");
    const success = await completeOAuth(h.engine, await consent(authorizeUrl, "allow"));
    expect(success.metadata).toMatchObject({ platform: "shopify", platform_account_id: "link-shop", is_relink: false, end_user_id: "user-42" });

    const connection = await h.database.db.connection.findUniqueOrThrow({ where: { id: success.metadata.connection_id } });
    expect(connection).toMatchObject({ platform: "shopify", platformAccountId: "link-shop", endUserId: "user-42", stage: "INITIAL_SYNC" });
    // Subscribed to the sandbox's change notifications, so incremental syncs follow changes promptly.
    expect(connection.platformWebhookSecretEncrypted).not.toBeNull();

    const exchanged = await exchangePublicToken(h.engine, scope, success.publicToken);
    expect(exchanged).toMatchObject({ connection_id: connection.id, platform: "shopify", is_relink: false });
    expect(exchanged.access_token).toMatch(/^access_/);
    expect((await h.database.db.connection.findUniqueOrThrow({ where: { id: connection.id } })).accessTokenHash).toBe(hashToken(exchanged.access_token!));
    await expect(exchangePublicToken(h.engine, scope, success.publicToken)).rejects.toMatchObject({ code: "INVALID_PUBLIC_TOKEN", field: "public_token" });

    // The credentials work: the connection syncs from the store.
    await syncDue(h.engine, connection.id);
    expect((await h.database.db.connection.findUniqueOrThrow({ where: { id: connection.id } })).isReady).toBe(true);
    // The session is spent.
    await expect(openLinkSession(h.engine, session.token)).rejects.toMatchObject({ code: "LINK_SESSION_COMPLETED" });
  });

  it("a denied consent creates nothing, says so as CONNECTION_LINK_ERROR, and the end user can try again", async () => {
    const session = await createLinkSession(h.engine, scope, { platforms: ["zendesk"], endUserId: "user-denies" });
    const before = await h.database.db.connection.count();
    const denied = await completeOAuth(
      h.engine,
      await consent(await startOAuth(h.engine, session.token, { platform: "zendesk", account: "link-desk" }), "deny"),
    ).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(LinkError);
    expect(denied).toMatchObject({ code: "ACCESS_DENIED" });
    expect((denied as Error).message).toMatch(/declined access on Zendesk/);
    expect(await h.database.db.connection.count()).toBe(before);
    expect((await linkErrors()).at(-1)).toMatchObject({ error_code: "ACCESS_DENIED", platform: "zendesk", end_user_id: "user-denies" });

    // The same session works on the second try; Zendesk's account comes from what the user typed.
    const success = await completeOAuth(
      h.engine,
      await consent(await startOAuth(h.engine, session.token, { platform: "zendesk", account: "link-desk.zendesk.com" }), "allow"),
    );
    expect(success.metadata).toMatchObject({ platform: "zendesk", platform_account_id: "link-desk" });
  });

  it("Allow on an account the platform does not have is not a refusal: the platform's reason, as PLATFORM_REFUSED", async () => {
    const session = await createLinkSession(h.engine, scope, { platforms: ["zendesk"], endUserId: "user-typo" });
    const refused = await completeOAuth(
      h.engine,
      await consent(await startOAuth(h.engine, session.token, { platform: "zendesk", account: "no-such-desk" }), "allow"),
    ).catch((e: unknown) => e);
    expect(refused).toMatchObject({
      code: "PLATFORM_REFUSED",
      message: 'Zendesk could not sign you in: Zendesk has no open account "no-such-desk". Check what you entered and try again.',
    });
    expect((await linkErrors()).at(-1)).toMatchObject({ error_code: "PLATFORM_REFUSED", platform: "zendesk", end_user_id: "user-typo" });
    // A platform that is down says so as PLATFORM_ERROR, whatever its description.
    const outage = await startOAuth(h.engine, session.token, { platform: "zendesk", account: "no-such-desk" });
    const state = new URL(outage).searchParams.get("state")!;
    await expect(completeOAuth(h.engine, new URLSearchParams({ state, error: "temporarily_unavailable", error_description: "x" }))).rejects.toMatchObject({
      code: "PLATFORM_ERROR",
    });
  });

  it("QuickBooks: the company chosen on the consent page comes back as realmId", async () => {
    const session = await createLinkSession(h.engine, scope, {});
    const view = await openLinkSession(h.engine, session.token);
    expect(view.platforms.map((p) => p.key)).toEqual(expect.arrayContaining(["quickbooks", "shopify", "zendesk"]));
    expect(view.platforms.find((p) => p.key === "quickbooks")?.apiKey?.label).toBe("Company ID");
    const success = await completeOAuth(h.engine, await consent(await startOAuth(h.engine, session.token, { platform: "quickbooks" }), "allow", "4620816365"));
    expect(success.metadata.platform_account_id).toBe("4620816365");
  });

  it("an API key is checked against the platform: a wrong one is refused naming the field, a right one connects", async () => {
    const session = await createLinkSession(h.engine, scope, { platforms: ["quickbooks"] });
    const wrong = await connectWithApiKey(h.engine, session.token, { platform: "quickbooks", account: "4620 8163 65", apiKey: "quickbooks_key_wrong" }).catch(
      (e: unknown) => e,
    );
    expect(wrong).toMatchObject({ code: "INVALID_API_KEY", field: "api_key" });
    expect((await linkErrors()).at(-1)).toMatchObject({ error_code: "INVALID_API_KEY", platform: "quickbooks" });
    const unknownCompany = await connectWithApiKey(h.engine, session.token, { platform: "quickbooks", account: "no company!", apiKey: "x" }).catch(
      (e: unknown) => e,
    );
    expect(unknownCompany).toMatchObject({ code: "INVALID_ACCOUNT", field: "account" });

    const { api_key } = (await (await h.control("/quickbooks/4620816365/api-keys", "POST", {})).json()) as { api_key: string };
    const success = await connectWithApiKey(h.engine, session.token, { platform: "quickbooks", account: "4620 8163 65", apiKey: api_key });
    expect(success.metadata).toMatchObject({ platform: "quickbooks", platform_account_id: "4620816365" });
    // Shopify has no API keys in Link.
    const other = await createLinkSession(h.engine, scope, { platforms: ["shopify"] });
    await expect(connectWithApiKey(h.engine, other.token, { platform: "shopify", account: "link-shop", apiKey: "k" })).rejects.toMatchObject({
      code: "PLATFORM_NOT_ALLOWED",
    });
    // Nor a platform the session does not offer.
    await expect(startOAuth(h.engine, other.token, { platform: "zendesk", account: "link-desk" })).rejects.toMatchObject({
      code: "PLATFORM_NOT_ALLOWED",
      field: "platform",
    });
  });

  it("validates sessions: unknown platforms, bad store addresses, another organization's connection", async () => {
    await expect(createLinkSession(h.engine, scope, { platforms: ["shopify", "netsuite"] })).rejects.toMatchObject({ field: "platforms[1]" });
    const other = await createOrganizationWithOwner(h.database.db, {
      name: "Other",
      slug: "other-link",
      owner: { email: "other-link@example.com", name: "O", passwordHash: "x" },
    });
    const theirs = await h.connect("shopify", { id: "theirs-shop", size: 10 });
    await expect(
      createLinkSession(h.engine, { organizationId: other.organization.id, environment: "sandbox" }, { connectionId: theirs }),
    ).rejects.toMatchObject({ field: "connection_id" });
    const session = await createLinkSession(h.engine, scope, { platforms: ["shopify"] });
    await expect(startOAuth(h.engine, session.token, { platform: "shopify", account: "not a store!" })).rejects.toMatchObject({
      code: "INVALID_ACCOUNT",
      field: "account",
    });
    await expect(openLinkSession(h.engine, "link_forged")).rejects.toMatchObject({ code: "LINK_SESSION_NOT_FOUND" });
  });

  it("an expired session is refused with CONNECTION_LINK_ERROR, emitted once however often it is opened", async () => {
    const created = new Date(Date.now() - 31 * 60_000);
    const session = await createLinkSession(h.engine, scope, { endUserId: "late-user" }, created);
    for (let i = 0; i < 3; i++) await expect(openLinkSession(h.engine, session.token)).rejects.toMatchObject({ code: "LINK_SESSION_EXPIRED" });
    expect((await linkErrors()).filter((e) => e.end_user_id === "late-user")).toEqual([expect.objectContaining({ error_code: "LINK_SESSION_EXPIRED" })]);
  });

  it("re-linking keeps the connection's id and access token, and cannot move it to another account", async () => {
    const connectionId = await h.connect("shopify", { id: "relink-shop", size: 20 });
    const { accessTokenHash } = await h.database.db.connection.findUniqueOrThrow({ where: { id: connectionId } });
    await h.control("", "POST", { platform: "shopify", id: "wrong-shop", size: 5 });
    const session = await createLinkSession(h.engine, scope, { connectionId });
    const view = await openLinkSession(h.engine, session.token);
    expect(view.relink).toMatchObject({ connectionId, platform: "shopify", accountId: "relink-shop" });
    // The account is fixed by the connection: whatever is typed, the consent page is the connection's store.
    const authorizeUrl = await startOAuth(h.engine, session.token, { platform: "shopify", account: "wrong-shop" });
    expect(authorizeUrl).toContain("/shopify/relink-shop/");
    const success = await completeOAuth(h.engine, await consent(authorizeUrl, "allow"));
    expect(success.metadata).toMatchObject({ connection_id: connectionId, is_relink: true });
    const exchanged = await exchangePublicToken(h.engine, scope, success.publicToken);
    expect(exchanged).toMatchObject({ connection_id: connectionId, access_token: null, is_relink: true });
    expect((await h.database.db.connection.findUniqueOrThrow({ where: { id: connectionId } })).accessTokenHash).toBe(accessTokenHash);

    // QuickBooks lets the user pick any company on its consent page: another one is refused, nothing changes.
    const company = await h.connect("quickbooks", { id: "9000000001", size: 5 });
    await h.control("", "POST", { platform: "quickbooks", id: "9000000002", size: 5 });
    const qbo = await createLinkSession(h.engine, scope, { connectionId: company });
    const refused = await completeOAuth(
      h.engine,
      await consent(await startOAuth(h.engine, qbo.token, { platform: "quickbooks" }), "allow", "9000000002"),
    ).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: "INVALID_ACCOUNT" });
    expect((await h.database.db.connection.findUniqueOrThrow({ where: { id: company } })).platformAccountId).toBe("9000000001");
    expect((await h.database.db.linkSession.findFirstOrThrow({ where: { connectionId: company } })).status).toBe("pending");
  });

  describe("re-link URLs", () => {
    const DAY = 24 * 3600 * 1000;
    const capabilityOf = (url: string) => new URL(url).searchParams.get("relink")!;
    const relinkOf = async (connectionId: string, now: number = Date.now()) =>
      capabilityOf(relinkUrl(h.engine.appUrl, await h.database.db.connection.findUniqueOrThrow({ where: { id: connectionId } }), now));
    const sessionsOf = (connectionId: string) => h.database.db.linkSession.count({ where: { connectionId } });
    /** GET /link?relink=… as the browser (or a link previewer) sends it: the props the page hands Link. */
    const page = async (relink: string) => {
      const element = (await LinkPage({ searchParams: Promise.resolve({ relink }) })) as { props: LinkAppProps };
      return element.props;
    };
    /** Link's first POST from a re-link URL's page. */
    const start = async (relink: string) => {
      const response = await relinkRoute(
        new Request("http://localhost:3000/link/api/relink", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ relink }),
        }),
      );
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    let warn: MockInstance<typeof console.warn>;
    beforeEach(() => {
      warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    });
    afterEach(() => warn.mockRestore());

    it("shows the page without creating anything, however often it is fetched; the session is made when the end user starts", async () => {
      const connectionId = await h.connect("zendesk", { id: "relink-url-desk", size: 5 });
      const relink = await relinkOf(connectionId);
      for (let i = 0; i < 3; i++) {
        const props = await page(relink);
        expect(props).toMatchObject({ error: null, relink, token: "" });
        expect(props.view).toMatchObject({ sessionId: null, relink: { connectionId, platform: "zendesk", accountId: "relink-url-desk" } });
        expect(props.view!.platforms.map((p) => p.key)).toEqual(["zendesk"]);
      }
      expect(await sessionsOf(connectionId)).toBe(0);

      const started = await start(relink);
      expect(started.status).toBe(200);
      expect(await sessionsOf(connectionId)).toBe(1);
      expect((await openLinkSession(h.engine, started.body.token as string)).relink).toMatchObject({ connectionId });
    });

    it("works for 7 days, with an expiry rounded to the day so a status read all day shows the same URL; then shows that it expired", async () => {
      const connectionId = await h.connect("zendesk", { id: "relink-expiry-desk", size: 5 });
      const connection = await h.database.db.connection.findUniqueOrThrow({ where: { id: connectionId } });
      const morning = Date.parse("2026-03-04T00:00:01Z");
      expect(relinkUrl(h.engine.appUrl, connection, morning)).toBe(relinkUrl(h.engine.appUrl, connection, morning + 23 * 3600 * 1000));
      expect(relinkUrl(h.engine.appUrl, connection, morning)).not.toBe(relinkUrl(h.engine.appUrl, connection, morning + DAY));
      expect(verifyRelinkCapability(capabilityOf(relinkUrl(h.engine.appUrl, connection, morning)))).toEqual({
        connectionId,
        generation: 0,
        expiresAt: new Date("2026-03-12T00:00:00Z"),
      });
      expect(RELINK_URL_TTL_MS).toBe(7 * DAY);

      expect((await page(await relinkOf(connectionId, Date.now() - 6 * DAY))).error).toBeNull();
      const expired = await relinkOf(connectionId, Date.now() - 9 * DAY);
      const shown = await page(expired);
      expect(shown.view).toBeNull();
      expect(shown.error).toEqual({ error_code: "LINK_SESSION_EXPIRED", error_message: "This link has expired; ask Acme for a new one." });
      expect(await start(expired)).toMatchObject({ status: 410, body: { error_code: "LINK_SESSION_EXPIRED" } });
      expect(await sessionsOf(connectionId)).toBe(0);
      // Logged, without the MAC.
      const logged = warn.mock.calls.map((call) => String(call[0])).filter((line) => line.includes(connectionId));
      expect(logged.length).toBeGreaterThan(0);
      expect(logged.join("\n")).toMatch(/expired at/);
      expect(logged.join("\n")).not.toContain(expired.split(".").at(-1)!);
    });

    it("stops working once a re-link through it has completed; the connection's next URL works", async () => {
      const connectionId = await h.connect("shopify", { id: "relink-rotate-shop", size: 5 });
      const relink = await relinkOf(connectionId);
      const started = await start(relink);
      const authorizeUrl = await startOAuth(h.engine, started.body.token as string, { platform: "shopify" });
      const success = await completeOAuth(h.engine, await consent(authorizeUrl, "allow"));
      expect(success.metadata).toMatchObject({ connection_id: connectionId, is_relink: true });

      const refused = await page(relink);
      expect(refused.error).toEqual({ error_code: "LINK_SESSION_EXPIRED", error_message: "This link has expired; ask Acme for a new one." });
      expect(await start(relink)).toMatchObject({ status: 410, body: { error_code: "LINK_SESSION_EXPIRED" } });
      expect(warn.mock.calls.map((call) => String(call[0])).join("\n")).toMatch(new RegExp(`${connectionId}: a re-link has completed since it was made`));
      const next = await relinkOf(connectionId);
      expect(next).not.toBe(relink);
      expect((await page(next)).error).toBeNull();
      expect((await start(next)).status).toBe(200);
    });

    it("refuses a URL whose MAC does not match what it says (forged, altered expiry or generation, another connection), and a deleted connection's", async () => {
      const connectionId = await h.connect("zendesk", { id: "relink-forged-desk", size: 5 });
      const other = await h.connect("zendesk", { id: "relink-forged-other", size: 5 });
      const relink = await relinkOf(connectionId);
      const [id, expires, generation, mac] = relink.split(".");
      const flipped = mac.slice(0, -1) + (mac.at(-1) === "A" ? "B" : "A");
      for (const forged of [
        `${id}.${expires}.${generation}.${flipped}`,
        `${id}.${Number(expires) + 365 * 86400}.${generation}.${mac}`,
        `${id}.${expires}.${Number(generation) + 1}.${mac}`,
        `${other}.${expires}.${generation}.${mac}`,
        `${id}.${mac}`,
        "x",
      ]) {
        expect((await page(forged)).error, forged).toMatchObject({ error_code: "LINK_SESSION_NOT_FOUND" });
        expect(await start(forged)).toMatchObject({ status: 404, body: { error_code: "LINK_SESSION_NOT_FOUND" } });
      }
      expect(await sessionsOf(connectionId)).toBe(0);
      expect(await sessionsOf(other)).toBe(0);
      await deleteConnection(h.database.db, connectionId);
      expect((await page(relink)).error).toMatchObject({ error_code: "LINK_SESSION_NOT_FOUND" });
      await expect(startRelinkSession(h.engine, relink)).rejects.toMatchObject({ code: "LINK_SESSION_NOT_FOUND" });
    });
  });

  it("a public token is refused after 10 minutes and for another organization", async () => {
    const session = await createLinkSession(h.engine, scope, { platforms: ["shopify"] });
    await h.control("", "POST", { platform: "shopify", id: "late-shop", size: 5 });
    const success = await completeOAuth(
      h.engine,
      await consent(await startOAuth(h.engine, session.token, { platform: "shopify", account: "late-shop" }), "allow"),
    );
    const other = await createOrganizationWithOwner(h.database.db, {
      name: "Other 2",
      slug: "other-link-2",
      owner: { email: "other-link-2@example.com", name: "O", passwordHash: "x" },
    });
    await expect(exchangePublicToken(h.engine, { organizationId: other.organization.id, environment: "sandbox" }, success.publicToken)).rejects.toMatchObject({
      code: "INVALID_PUBLIC_TOKEN",
    });
    await expect(exchangePublicToken(h.engine, { organizationId: h.organizationId, environment: "production" }, success.publicToken)).rejects.toMatchObject({
      code: "INVALID_PUBLIC_TOKEN",
    });
    await expect(exchangePublicToken(h.engine, scope, success.publicToken, new Date(Date.now() + PUBLIC_TOKEN_TTL_MS + 1000))).rejects.toMatchObject({
      code: "INVALID_PUBLIC_TOKEN",
    });
    // Refusals do not spend it: within its 10 minutes, the right organization still can.
    expect((await exchangePublicToken(h.engine, scope, success.publicToken)).access_token).toMatch(/^access_/);
  });
});
