// Link connecting Xero over HTTP against the sandbox's Xero: the consent page's organisations, the
// token exchange with Basic client auth, the tenants named from /connections, Link's picker when the
// user ticked several, and a connection whose platform account is the picked tenant and which syncs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as tenantRoute } from "@/app/link/api/tenant/route";
import { testDatabaseKinds } from "@/lib/db/testing";
import { provideEngine } from "@/lib/sync/engine";
import { syncDue } from "@/lib/sync/drive";
import { createSyncHarness, type SyncHarness } from "@/lib/sync/testing";
import { completeSignIn, createLinkSession, openLinkSession, startOAuth } from "./sessions";

const ORGANISATIONS = [
  { id: "0b7e9d52-3c41-4f6a-8e2d-5a1b2c3d4e01", name: "Harbour Cafe Ltd" },
  { id: "0b7e9d52-3c41-4f6a-8e2d-5a1b2c3d4e02", name: "Kauri Builders Ltd" },
  { id: "0b7e9d52-3c41-4f6a-8e2d-5a1b2c3d4e03", name: "Totara Nursery" },
];

describe.each(testDatabaseKinds())("Link connects Xero on %s", (kind) => {
  let h: SyncHarness;
  let scope: { organizationId: string; environment: "sandbox" };

  beforeAll(async () => {
    h = await createSyncHarness({ kind });
    provideEngine(h.engine);
    scope = { organizationId: h.organizationId, environment: "sandbox" };
    for (const [i, org] of ORGANISATIONS.entries()) {
      const created = await h.control("", "POST", { platform: "xero", id: org.id, name: org.name, size: 40, seed: 60 + i, rate_limited: false });
      expect(created.status).toBe(201);
    }
  });
  afterAll(() => h?.close());

  /** Xero's consent page, ticking `tenants`: the callback's query. */
  async function consent(authorizeUrl: string, tenants: string[]): Promise<URLSearchParams> {
    const url = new URL(authorizeUrl);
    expect(url.pathname).toBe("/xero/identity/connect/authorize");
    const page = await (await fetch(url)).text();
    for (const org of ORGANISATIONS) expect(page).toContain(org.name);
    const form = new URLSearchParams(url.searchParams);
    form.set("decision", "allow");
    tenants.forEach((id, i) => form.set(`account.${i}`, id));
    const answer = await fetch(url.origin + url.pathname, { method: "POST", body: form, redirect: "manual" });
    return new URL(answer.headers.get("location")!).searchParams;
  }

  it("one organisation ticked: connected at once, named, and it syncs", async () => {
    const session = await createLinkSession(h.engine, scope, { platforms: ["xero"], endUserId: "xero-one" });
    const outcome = await completeSignIn(h.engine, await consent(await startOAuth(h.engine, session.token, { platform: "xero" }), [ORGANISATIONS[0].id]));
    if ("choice" in outcome) throw new Error("a single organisation needs no pick");
    expect(outcome.metadata).toMatchObject({ platform: "xero", platform_account_id: ORGANISATIONS[0].id });
    const connection = await h.database.db.connection.findUniqueOrThrow({ where: { id: outcome.metadata.connection_id } });
    expect(connection).toMatchObject({ platformAccountId: ORGANISATIONS[0].id, accountName: ORGANISATIONS[0].name });
    await syncDue(h.engine, connection.id);
    expect((await h.database.db.connection.findUniqueOrThrow({ where: { id: connection.id } })).isReady).toBe(true);
  });

  it("several ticked: Link offers this sign-in's organisations, and the pick is the connection's tenant", async () => {
    const session = await createLinkSession(h.engine, scope, { platforms: ["xero"], endUserId: "xero-two" });
    const outcome = await completeSignIn(
      h.engine,
      await consent(await startOAuth(h.engine, session.token, { platform: "xero" }), [ORGANISATIONS[1].id, ORGANISATIONS[2].id]),
    );
    expect(outcome).toEqual({ choice: { platform: "xero", choices: [ORGANISATIONS[1], ORGANISATIONS[2]] } });
    expect((await openLinkSession(h.engine, session.token)).pendingChoice?.choices).toEqual([ORGANISATIONS[1], ORGANISATIONS[2]]);

    const pick = (tenantId: string) =>
      tenantRoute(
        new Request("http://localhost:3000/link/api/tenant", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ token: session.token, tenant_id: tenantId }),
        }),
      );
    // An organisation of another sign-in is not on offer.
    const refused = await pick(ORGANISATIONS[0].id);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ field: "tenant_id" });

    const answer = await pick(ORGANISATIONS[2].id);
    expect(answer.status).toBe(200);
    const { metadata } = (await answer.json()) as { metadata: { platform_account_id: string; connection_id: string } };
    expect(metadata.platform_account_id).toBe(ORGANISATIONS[2].id);
    const connection = await h.database.db.connection.findUniqueOrThrow({ where: { id: metadata.connection_id } });
    expect(connection).toMatchObject({ platform: "xero", platformAccountId: ORGANISATIONS[2].id, accountName: ORGANISATIONS[2].name });
    await syncDue(h.engine, connection.id);
    expect((await h.database.db.connection.findUniqueOrThrow({ where: { id: connection.id } })).isReady).toBe(true);
  });
});
