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
    context = {
      baseUrl: `${sandbox.url}/zendesk/desk`,
      credentials: { kind: "oauth", accessToken: token.access_token, refreshToken: null, expiresAt: null, scopes: [] },
      fetch,
    };
  });
  afterAll(() => sandbox?.stop());

  async function listAll(request: Omit<ListRequest, "cursor">) {
    const pages: ListPage[] = [];
    for (let cursor: string | null = null; ;) {
      const page = await zendeskConnector.list(context, { ...request, cursor });
      pages.push(page);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    return { records: pages.flatMap((p) => p.records), deleted: pages.flatMap((p) => p.deleted) };
  }
  async function truth(object: string) {
    const body = (await (await fetch(`${sandbox.url}/control/accounts/zendesk/desk/ground-truth/${object}`)).json()) as {
      records: { id: number; deleted: boolean }[];
    };
    return body.records
      .filter((r) => !r.deleted)
      .map((r) => String(r.id))
      .sort();
  }

  it("exports every ticket, user and organization exactly once", async () => {
    for (const object of ["tickets", "users", "organizations"]) {
      const ids = (await listAll({ object })).records.map((r) => r.externalId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.sort()).toEqual(await truth(object));
    }
  });

  it("lists every live ticket's comments exactly once, reading the ticket export in as many requests as the tickets listing", async () => {
    const exportRequests = { count: 0 };
    const counting: ConnectorContext = {
      ...context,
      fetch: (input, init) => {
        if (String(input).includes("/api/v2/incremental/")) exportRequests.count++;
        return fetch(input, init);
      },
    };
    const walk = async (object: string) => {
      exportRequests.count = 0;
      const pages: ListPage[] = [];
      let longestCursor = 0;
      for (let cursor: string | null = null; ;) {
        const page = await zendeskConnector.list(counting, { object, cursor });
        pages.push(page);
        longestCursor = Math.max(longestCursor, page.nextCursor?.length ?? 0);
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      return { pages, exports: exportRequests.count, longestCursor };
    };
    const tickets = await walk("tickets");
    const comments = await walk("comments");
    expect(comments.exports).toBe(tickets.exports);
    // A page holds the comments of 50 tickets, and its cursor the rest of the export page's tickets.
    expect(comments.pages.length).toBeGreaterThanOrEqual(Math.ceil((await truth("tickets")).length / 50));
    expect(comments.longestCursor).toBeLessThan(4096);
    const records = comments.pages.flatMap((p) => p.records);
    expect(new Set(records.map((r) => r.externalId)).size).toBe(records.length);
    expect([...new Set(records.map((r) => r.data.ticket_id as string))].sort()).toEqual(await truth("tickets"));
    const one = records[0].data.ticket_id as string;
    const scoped = await listAll({ object: "comments", filters: { ticket_id: one } });
    expect(records.filter((r) => r.data.ticket_id === one)).toEqual(scoped.records);
  });

  it("finds exactly what changed since a time, deletions included", async () => {
    now += 5_000;
    const since = new Date(now - 2_000);
    const { changes } = (await (await control("/zendesk/desk/changes", "POST", { random: 60, seed: 9 })).json()) as {
      changes: { kind: string; object: string; id: number }[];
    };
    now += 120_000;
    for (const object of ["tickets", "users", "organizations"]) {
      const mine = changes.filter((c) => c.object === object);
      const deletedIds = new Set(mine.filter((c) => c.kind === "deleted").map((c) => String(c.id)));
      const liveIds = new Set(mine.filter((c) => c.kind !== "deleted" && !deletedIds.has(String(c.id))).map((c) => String(c.id)));
      const found = await listAll({ object, updatedSince: since });
      expect(new Set(found.records.map((r) => r.externalId))).toEqual(liveIds);
      expect(new Set(found.deleted)).toEqual(deletedIds);
      // The changed tickets' comments, and no others.
      if (object === "tickets")
        expect(new Set((await listAll({ object: "comments", updatedSince: since })).records.map((r) => r.data.ticket_id))).toEqual(liveIds);
    }
  });

  it("goes on from a comments cursor of the earlier connector, which was the ticket export's own", async () => {
    const url = `${context.baseUrl}/api/v2/incremental/tickets/cursor.json?per_page=50&start_time=0`;
    const first = (await (
      await fetch(url, { headers: { Authorization: `Bearer ${(context.credentials as { accessToken: string }).accessToken}` } })
    ).json()) as { tickets: { id: number; status: string }[]; after_cursor: string };
    const page = await zendeskConnector.list(context, { object: "comments", cursor: first.after_cursor });
    const earlier = new Set(first.tickets.map((t) => String(t.id)));
    expect(page.records.length).toBeGreaterThan(0);
    expect(page.records.some((r) => earlier.has(r.data.ticket_id as string))).toBe(false);
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
