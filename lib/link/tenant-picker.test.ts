// Link's account picker against the sandbox over HTTP: a sign-in whose grant covers one account
// connects it at once; several are held (credentials sealed on the session, never in an answer)
// until the end user picks one through POST /link/api/tenant; a bad pick is a 400 naming tenant_id;
// the held credentials are gone once the session completes, expires or signs in again.
// The platform's hook is stood in for on QuickBooks (whose consent page names one company), so the
// mechanism is proved whatever platform offers the choice; lib/link/link-xero.test.ts runs Xero's.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as tenantRoute } from "@/app/link/api/tenant/route";
import { GET as callbackRoute } from "@/app/link/oauth/callback/route";
import { testDatabaseKinds } from "@/lib/db/testing";
import { getConnector } from "@/lib/platforms/index";
import type { Credentials, OAuthAccountResult } from "@/lib/platforms/types";
import { provideEngine } from "@/lib/sync/engine";
import { createSyncHarness, type SyncHarness } from "@/lib/sync/testing";
import { clearAbandonedSignIns } from "./pending-sign-in";
import { completeSignIn, createLinkSession, openLinkSession, startOAuth } from "./sessions";

const COMPANIES = [
  { id: "5550000001", name: "Harbour Books" },
  { id: "5550000002", name: "Kauri Books" },
  { id: "5550000003", name: "Totara Books" },
];

describe.each(testDatabaseKinds())("Link account picker on %s", (kind) => {
  let h: SyncHarness;
  let scope: { organizationId: string; environment: "sandbox" };
  /** The credentials the last sign-in exchanged, as the platform's hook saw them. */
  let exchanged: Credentials | null = null;

  beforeAll(async () => {
    h = await createSyncHarness({ kind });
    provideEngine(h.engine);
    scope = { organizationId: h.organizationId, environment: "sandbox" };
    for (const [i, company] of COMPANIES.entries())
      await h.control("", "POST", { platform: "quickbooks", id: company.id, name: company.name, size: 20, seed: 40 + i, rate_limited: false });
  });
  afterEach(() => vi.restoreAllMocks());
  afterAll(() => h?.close());

  /** The platform's hook answers `result`, and records the credentials it was handed. */
  function hookAnswers(result: OAuthAccountResult) {
    vi.spyOn(getConnector("quickbooks"), "oauthAccount").mockImplementation(async (callback) => {
      exchanged = callback.context.credentials;
      return result;
    });
  }

  /** Sign-in through the sandbox's consent page: the callback's query. */
  async function signIn(token: string): Promise<URLSearchParams> {
    const url = new URL(await startOAuth(h.engine, token, { platform: "quickbooks" }));
    const form = new URLSearchParams(url.searchParams);
    form.set("decision", "allow");
    form.set("account", COMPANIES[0].id);
    const answer = await fetch(url.origin + url.pathname, { method: "POST", body: form, redirect: "manual" });
    return new URL(answer.headers.get("location")!).searchParams;
  }

  const pick = (body: unknown) =>
    tenantRoute(
      new Request("http://localhost:3000/link/api/tenant", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    );

  const secrets = () => {
    if (exchanged?.kind !== "oauth") throw new Error("no OAuth credentials were exchanged");
    return [exchanged.accessToken, exchanged.refreshToken!];
  };
  const sessionRow = (id: string) => h.database.db.linkSession.findUniqueOrThrow({ where: { id } });

  it("a grant of one account connects it at once, under its name", async () => {
    hookAnswers({ choices: [COMPANIES[1]] });
    const session = await createLinkSession(h.engine, scope, { platforms: ["quickbooks"] });
    const outcome = await completeSignIn(h.engine, await signIn(session.token));
    expect("choice" in outcome).toBe(false);
    if ("choice" in outcome) return;
    expect(outcome.metadata.platform_account_id).toBe(COMPANIES[1].id);
    const connection = await h.database.db.connection.findUniqueOrThrow({ where: { id: outcome.metadata.connection_id } });
    expect(connection).toMatchObject({ platformAccountId: COMPANIES[1].id, accountName: COMPANIES[1].name });
    expect((await sessionRow(session.id)).pendingCredentialsEncrypted).toBeNull();
  });

  it("several: held sealed until the end user picks; the pick connects that account, and no answer carries the credentials", async () => {
    hookAnswers({ choices: COMPANIES });
    const session = await createLinkSession(h.engine, scope, { platforms: ["quickbooks"], endUserId: "picker-1" });
    const connectionsBefore = await h.database.db.connection.count();

    // The sign-in window's page hands Link the names to pick from, nothing else.
    const callback = await callbackRoute(new Request(`http://localhost:3000/link/oauth/callback?${await signIn(session.token)}`));
    const page = await callback.text();
    expect(page).toContain("Choose the account to connect");
    for (const company of COMPANIES) expect(page).toContain(company.name);
    const [accessToken, refreshToken] = secrets();
    expect(page).not.toContain(accessToken);
    expect(page).not.toContain(refreshToken);
    expect(await h.database.db.connection.count()).toBe(connectionsBefore);

    // Held on the session, sealed.
    const held = await sessionRow(session.id);
    expect(held).toMatchObject({ status: "pending", pendingPlatform: "quickbooks", oauthState: null });
    expect(held.pendingCredentialsEncrypted).toBeTruthy();
    expect(held.pendingCredentialsEncrypted).not.toContain(accessToken);
    expect(JSON.stringify(held.pendingChoices)).not.toContain(accessToken);

    // Link reopened before the pick shows the picker again, from names alone.
    const view = await openLinkSession(h.engine, session.token);
    expect(view.pendingChoice).toEqual({ platform: "quickbooks", choices: COMPANIES });
    expect(JSON.stringify(view)).not.toContain(accessToken);

    // A bad pick: 400 naming tenant_id, and nothing connected.
    for (const body of [{ token: session.token, tenant_id: "not-one-of-them" }, { token: session.token, tenant_id: "" }, { token: session.token }]) {
      const refused = await pick(body);
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({ error_code: "INVALID_FIELD", field: "tenant_id" });
    }
    expect((await pick({ token: "link_forged", tenant_id: COMPANIES[2].id })).status).toBe(404);
    expect(await h.database.db.connection.count()).toBe(connectionsBefore);

    const answer = await pick({ token: session.token, tenant_id: COMPANIES[2].id });
    expect(answer.status).toBe(200);
    const text = await answer.text();
    expect(text).not.toContain(accessToken);
    expect(text).not.toContain(refreshToken);
    const success = JSON.parse(text) as { public_token: string; metadata: { platform_account_id: string; connection_id: string; end_user_id: string } };
    expect(success.metadata).toMatchObject({ platform_account_id: COMPANIES[2].id, end_user_id: "picker-1" });
    const connection = await h.database.db.connection.findUniqueOrThrow({ where: { id: success.metadata.connection_id } });
    expect(connection).toMatchObject({ platform: "quickbooks", platformAccountId: COMPANIES[2].id, accountName: COMPANIES[2].name });
    // The connection holds the credentials the sign-in exchanged; the session no longer does.
    expect(connection.credentialsEncrypted).not.toContain(accessToken);
    expect(await sessionRow(session.id)).toMatchObject({ status: "completed", pendingPlatform: null, pendingChoices: null, pendingCredentialsEncrypted: null });

    // Spent: a second pick is refused.
    expect((await pick({ token: session.token, tenant_id: COMPANIES[0].id })).status).toBe(410);
  });

  it("a pick with no sign-in waiting names tenant_id", async () => {
    const session = await createLinkSession(h.engine, scope, { platforms: ["quickbooks"] });
    const refused = await pick({ token: session.token, tenant_id: COMPANIES[0].id });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ field: "tenant_id", error_message: expect.stringMatching(/^tenant_id: /) });
  });

  it("held credentials are dropped by a new sign-in, by the session's expiry, and when abandoned sessions are swept", async () => {
    hookAnswers({ choices: COMPANIES.slice(0, 2) });
    const restarted = await createLinkSession(h.engine, scope, { platforms: ["quickbooks"] });
    await completeSignIn(h.engine, await signIn(restarted.token));
    expect((await sessionRow(restarted.id)).pendingCredentialsEncrypted).toBeTruthy();
    await startOAuth(h.engine, restarted.token, { platform: "quickbooks" });
    expect(await sessionRow(restarted.id)).toMatchObject({ pendingPlatform: null, pendingCredentialsEncrypted: null });

    const expiring = await createLinkSession(h.engine, scope, { platforms: ["quickbooks"] });
    await completeSignIn(h.engine, await signIn(expiring.token));
    await h.database.db.linkSession.update({ where: { id: expiring.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expect(openLinkSession(h.engine, expiring.token)).rejects.toMatchObject({ code: "LINK_SESSION_EXPIRED" });
    expect(await sessionRow(expiring.id)).toMatchObject({ status: "expired", pendingCredentialsEncrypted: null });

    const abandoned = await createLinkSession(h.engine, scope, { platforms: ["quickbooks"] });
    await completeSignIn(h.engine, await signIn(abandoned.token));
    await h.database.db.linkSession.update({ where: { id: abandoned.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    // Nobody comes back to it: the next session made sweeps it.
    await createLinkSession(h.engine, scope, { platforms: ["quickbooks"] });
    expect(await sessionRow(abandoned.id)).toMatchObject({ pendingChoices: null, pendingCredentialsEncrypted: null });
    expect(await clearAbandonedSignIns(h.database.db)).toBe(0);
  });
});
