// The Zendesk connector against the sandbox's Zendesk emulator over real HTTP. The sandbox runs on a
// clock ten minutes behind, so the exports' "last minute" rule can be stepped over without waiting.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_PLATFORMS } from "@/lib/sandbox/platforms";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { ConnectorError, type ConnectorContext, type ListPage, type ListRequest } from "../types";
import { zendeskConnector } from "./connector";

describe("Zendesk connector on the sandbox", () => {
  let now = Date.now() - 10 * 60_000;
  let sandbox: SandboxServer;
  let context: ConnectorContext;
  const control = (path: string, method: string, body: unknown) =>
    fetch(`${sandbox.url}/control/accounts${path}`, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  beforeAll(async () => {
    sandbox = await startSandboxServer({ platforms: SANDBOX_PLATFORMS, clock: () => now });
    await control("", "POST", { platform: "zendesk", id: "desk", size: 1500, seed: 3, rate_limited: false });
    now += 120_000; // the whole history is now older than the exports' last minute
    const token = (await (await control("/zendesk/desk/tokens", "POST", {})).json()) as { access_token: string };
    context = { baseUrl: `${sandbox.url}/zendesk/desk`, credentials: { kind: "oauth", accessToken: token.access_token, refreshToken: null, expiresAt: null, scopes: [] }, fetch };
  });
  afterAll(() => sandbox?.stop());

  async function listAll(request: Omit<ListRequest, "cursor">) {
    const pages: ListPage[] = [];
    for (let cursor: string | null = null; ; ) {
      const page = await zendeskConnector.list(context, { ...request, cursor });
      pages.push(page);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    return { records: pages.flatMap((p) => p.records), deleted: pages.flatMap((p) => p.deleted) };
  }
  async function truth(object: string) {
    const body = (await (await fetch(`${sandbox.url}/control/accounts/zendesk/desk/ground-truth/${object}`)).json()) as { records: { id: number; deleted: boolean }[] };
    return body.records.filter((r) => !r.deleted).map((r) => String(r.id)).sort();
  }

  it("exports every ticket, user and organization exactly once", async () => {
    for (const object of ["tickets", "users", "organizations"]) {
      const ids = (await listAll({ object })).records.map((r) => r.externalId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.sort()).toEqual(await truth(object));
    }
  });

  it("lists comments per ticket, after the tickets", async () => {
    const page = await zendeskConnector.list(context, { object: "comments", cursor: null });
    expect(page.requests).toBeGreaterThanOrEqual(51);
    expect(page.records.length).toBeGreaterThanOrEqual(50);
    const tickets = new Set(await truth("tickets"));
    expect(page.records.every((r) => tickets.has(r.data.ticket_id as string))).toBe(true);
  });

  it("finds exactly what changed since a time, deletions included", async () => {
    now += 5_000;
    const since = new Date(now - 2_000);
    const { changes } = (await (await control("/zendesk/desk/changes", "POST", { random: 60, seed: 9 })).json()) as { changes: { kind: string; object: string; id: number }[] };
    now += 120_000;
    for (const object of ["tickets", "users", "organizations"]) {
      const mine = changes.filter((c) => c.object === object);
      const deletedIds = new Set(mine.filter((c) => c.kind === "deleted").map((c) => String(c.id)));
      const liveIds = new Set(mine.filter((c) => c.kind !== "deleted" && !deletedIds.has(String(c.id))).map((c) => String(c.id)));
      const found = await listAll({ object, updatedSince: since });
      expect(new Set(found.records.map((r) => r.externalId))).toEqual(liveIds);
      expect(new Set(found.deleted)).toEqual(deletedIds);
    }
  });

  it("classifies a revoked token and a closed help desk", async () => {
    await control("/zendesk/desk/faults", "PUT", { revoke_tokens: true });
    const revoked = await zendeskConnector.list(context, { object: "tickets", cursor: null }).catch((e: unknown) => e);
    expect((revoked as ConnectorError).kind).toBe("auth_revoked");
    await control("/zendesk/desk/faults", "PUT", { closed: true });
    const closed = await zendeskConnector.list(context, { object: "tickets", cursor: null }).catch((e: unknown) => e);
    expect((closed as ConnectorError).kind).toBe("account_closed");
  });
});
