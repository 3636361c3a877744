// Every health transition of DESIGN.md section 2, on each sandbox platform, driven by the sandbox's
// fault controls: transient errors → UNHEALTHY and back; revoked credentials → NEEDS_UPDATE and back
// by re-linking; N failed runs → DISABLED (repeated_failures); a closed account → DISABLED
// (account_closed). Each transition writes its event with the state change.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openCredentials, SANDBOX_OAUTH_CLIENT } from "./credentials";
import { enableConnection, relinkConnection } from "./connections";
import { verifyRelinkCapability } from "./health";
import { syncDue } from "./drive";
import { nextRun, requestSync } from "./planner";
import { createSyncHarness, type SyncHarness } from "./testing";

describe.each([
  { platform: "shopify", account: "health-shop" },
  { platform: "quickbooks", account: "health-books" },
  { platform: "zendesk", account: "health-desk" },
  { platform: "xero", account: "3f2a9c1e-5b7d-4c8e-9f10-2a3b4c5d6e7f" },
])("$platform: connection health", ({ platform, account }) => {
  let h: SyncHarness;
  let connectionId: string;

  beforeAll(async () => {
    h = await createSyncHarness({ engine: { maxTransientRetries: 2, maxConsecutiveFailures: 3 } });
    connectionId = await h.connect(platform, { id: account, size: 300 });
    expect((await syncDue(h.engine, connectionId)).every((r) => r.result.status === "succeeded")).toBe(true);
  });
  afterAll(() => h?.close());

  const connection = () => h.database.db.connection.findUniqueOrThrow({ where: { id: connectionId } });
  const healthEvents = async () =>
    (
      await h.database.db.event.findMany({
        where: { connectionId, type: { in: ["CONNECTION_ERROR", "CONNECTION_UPDATED", "CONNECTION_NEEDS_UPDATE", "CONNECTION_DISABLED"] } },
        orderBy: { seq: "asc" },
      })
    ).map((e) => ({
      type: e.type,
      data: e.data as Record<string, unknown>,
    }));
  const faults = (body: unknown) => h.control(`/${platform}/${account}/faults`, "PUT", body);
  /** Lets the failure backoff pass and runs what is due. */
  const runDue = async () => {
    h.advance(2 * 3600_000);
    return syncDue(h.engine, connectionId, { maxRuns: 1 });
  };

  it("goes UNHEALTHY when 5xx errors outlast a run's retries, and HEALTHY again on the next success", async () => {
    await faults({ error_rate: 1 });
    const [failed] = await runDue();
    expect(failed.result.status).toBe("failed");
    const run = await h.database.db.syncRun.findUniqueOrThrow({ where: { id: failed.runId } });
    // The first object retried twice then failed; the rest were not attempted.
    const stats = run.stats as { retries: number; objects: Record<string, { status: string }> };
    expect(stats.retries).toBe(2);
    expect(run.objects.map((o) => stats.objects[o].status)).toEqual(["failed", ...Array(run.objects.length - 1).fill("skipped")]);
    expect(await connection()).toMatchObject({ health: "UNHEALTHY", consecutiveFailures: 1 });
    const completed = await h.database.db.event.findFirstOrThrow({ where: { syncRunId: failed.runId, type: "SYNC_COMPLETED" } });
    expect(completed.data).toMatchObject({ status: "failed", objects_succeeded: [] });

    await faults({ error_rate: 0 });
    const [recovered] = await runDue();
    expect(recovered.result.status).toBe("succeeded");
    expect(await connection()).toMatchObject({ health: "HEALTHY", consecutiveFailures: 0 });
    expect((await healthEvents()).map((e) => e.type)).toEqual(["CONNECTION_ERROR", "CONNECTION_UPDATED"]);
  });

  it("is DISABLED with repeated_failures after N consecutive failed runs, and can be re-enabled", async () => {
    await faults({ error_rate: 1 });
    for (let i = 0; i < 3; i++) expect((await runDue())[0].result.status).toBe("failed");
    expect(await connection()).toMatchObject({ health: "DISABLED", disabledReason: "repeated_failures", consecutiveFailures: 3 });
    expect(await runDue()).toEqual([]); // a disabled connection does not sync
    await expect(requestSync(h.engine, connectionId)).rejects.toMatchObject({ code: "CONNECTION_NOT_SYNCING" });
    const events = await healthEvents();
    expect(events.slice(-2).map((e) => e.type)).toEqual(["CONNECTION_ERROR", "CONNECTION_DISABLED"]);
    expect(events.at(-1)!.data).toMatchObject({ disabled_reason: "repeated_failures", health: "DISABLED" });

    await faults({ error_rate: 0 });
    await enableConnection(h.database.db, connectionId);
    expect(await connection()).toMatchObject({ health: "HEALTHY", disabledReason: null, consecutiveFailures: 0 });
    expect((await syncDue(h.engine, connectionId, { maxRuns: 1 }))[0].result.status).toBe("succeeded");
  });

  it("needs an update when the credentials are revoked, and recovers by re-linking with the same id", async () => {
    await faults({ revoke_tokens: true });
    const [failed] = await runDue();
    expect(failed.result.status).toBe("failed");
    const current = await connection();
    expect(current).toMatchObject({ health: "NEEDS_UPDATE" });
    const event = (await healthEvents()).at(-1)!;
    expect(event.type).toBe("CONNECTION_NEEDS_UPDATE");
    expect(event.data.link_url).toContain(`/link?relink=${connectionId}.`);
    expect(verifyRelinkCapability(new URL(event.data.link_url as string).searchParams.get("relink")!)?.connectionId).toBe(connectionId);
    expect(await nextRun(h.engine, connectionId)).toBeNull();

    const token = (await (await h.control(`/${platform}/${account}/tokens`, "POST", { client_secret: SANDBOX_OAUTH_CLIENT.clientSecret })).json()) as {
      access_token: string;
      refresh_token: string;
      expires_at: string;
    };
    await relinkConnection(h.database.db, connectionId, {
      kind: "oauth",
      accessToken: token.access_token,
      refreshToken: token.refresh_token,
      expiresAt: Date.parse(token.expires_at),
      scopes: [],
    });
    const relinked = await connection();
    expect(relinked).toMatchObject({ id: connectionId, health: "HEALTHY", accessTokenHash: current.accessTokenHash });
    expect((await healthEvents()).at(-1)!.type).toBe("CONNECTION_UPDATED");
    expect((await syncDue(h.engine, connectionId, { maxRuns: 1 }))[0].result.status).toBe("succeeded");
  });

  it("refreshes an access token before it expires, and keeps it encrypted", async () => {
    const before = await connection();
    const old = openCredentials(before.credentialsEncrypted);
    if (old.kind !== "oauth") throw new Error("expected OAuth credentials");
    // 56 minutes later the token has less than five minutes left: "sync now" refreshes it first.
    h.advance(56 * 60_000);
    const queued = await requestSync(h.engine, connectionId);
    expect(queued).toMatchObject({ created: true });
    expect((await syncDue(h.engine, connectionId, { maxRuns: 1 }))[0]).toMatchObject({ runId: queued!.runId, result: { status: "succeeded" } });
    const after = await connection();
    const fresh = openCredentials(after.credentialsEncrypted);
    if (fresh.kind !== "oauth") throw new Error("expected OAuth credentials");
    expect(fresh.accessToken).not.toBe(old.accessToken);
    expect(fresh.expiresAt!).toBeGreaterThan(h.now() + 30 * 60_000);
    expect(after.credentialsEncrypted).not.toContain(fresh.accessToken);
  });

  it("is DISABLED with account_closed when the account is closed on the platform", async () => {
    await faults({ closed: true });
    const [failed] = await runDue();
    expect(failed.result.status).toBe("failed");
    expect(await connection()).toMatchObject({ health: "DISABLED", disabledReason: "account_closed" });
    expect((await healthEvents()).at(-1)).toMatchObject({ type: "CONNECTION_DISABLED", data: { disabled_reason: "account_closed" } });
  });
});
