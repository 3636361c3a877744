import { describe, expect, it } from "vitest";
import { Dataset } from "@/lib/sandbox/dataset";
import type { SandboxRequest, SandboxResponse } from "@/lib/sandbox/http";
import { handleZendesk } from "./api";
import { ZENDESK_OBJECTS } from "./objects";

const ANCHOR = Date.UTC(2026, 10, 1);
const BASE = "https://sandbox.test/zendesk/acct_1";
const MINUTE = 60_000;
/** Guards the export walks against a server that never ends the stream. */
const MAX_PAGES = 100;
const OBJECTS = ["organizations", "users", "tickets"] as const;
type Body = Record<string, unknown>;
type Item = { id: number; updated_at: string; created_at: string } & Body;

function account(options: { seed?: number; size?: number } = {}) {
  let now = ANCHOR + 60 * MINUTE;
  const clock = () => now;
  const dataset = new Dataset({ seed: options.seed ?? 1, size: options.size ?? 3000, historyMonths: 24, anchor: ANCHOR }, ZENDESK_OBJECTS, clock);
  const call = (path: string, params: Record<string, string> = {}): SandboxResponse =>
    handleZendesk(request(path, new URLSearchParams(params)), dataset, clock);
  /** Follows an absolute URL the API handed out. */
  const follow = (url: string): SandboxResponse => {
    expect(url.startsWith(BASE)).toBe(true);
    const parsed = new URL(url);
    return handleZendesk(request(parsed.pathname.slice(new URL(BASE).pathname.length), parsed.searchParams), dataset, clock);
  };
  return { dataset, call, follow, advance: (ms: number) => (now += ms), now: clock };
}

function request(path: string, query: URLSearchParams): SandboxRequest {
  return { method: "GET", path, query, headers: {}, body: undefined, baseUrl: BASE };
}

function body(response: SandboxResponse, status = 200): Body {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  return response.body as Body;
}

function liveIds(dataset: Dataset, object: string): number[] {
  return [...dataset.groundTruth(object)].filter((row) => !row.deleted).map((row) => row.id);
}

function ms(time: string): number {
  return Date.parse(time);
}

/** Every item of a time-based export from start_time, following next_page to end_of_stream. */
function timeExport(acc: ReturnType<typeof account>, object: string, params: Record<string, string>) {
  const items: Item[] = [];
  let page = body(acc.call(`/api/v2/incremental/${object}.json`, params));
  let pages = 1;
  for (;;) {
    items.push(...(page[object] as Item[]));
    expect(page.count).toBe((page[object] as Item[]).length);
    if (page.end_of_stream) return { items, last: page, pages };
    page = body(acc.follow(page.next_page as string));
    if (++pages > MAX_PAGES) throw new Error("the export never reached end_of_stream");
  }
}

function cursorExport(acc: ReturnType<typeof account>, object: string, params: Record<string, string>) {
  const items: Item[] = [];
  let page = body(acc.call(`/api/v2/incremental/${object}/cursor.json`, params));
  for (;;) {
    items.push(...(page[object] as Item[]));
    if (page.end_of_stream) return { items, last: page };
    page = body(acc.follow(page.after_url as string));
    if (items.length > MAX_PAGES * 1000) throw new Error("the export never reached end_of_stream");
  }
}

function expectExactlyOnceInOrder(items: Item[]) {
  const ids = items.map((item) => item.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (let i = 1; i < items.length; i++) expect(ms(items[i].updated_at)).toBeGreaterThanOrEqual(ms(items[i - 1].updated_at));
}

/** Deletes, updates and creates a few records so listings have gaps and an overlay. */
function churn(acc: ReturnType<typeof account>) {
  const [firstTicket] = liveIds(acc.dataset, "tickets");
  acc.dataset.delete("tickets", firstTicket + 3);
  acc.dataset.delete("tickets", firstTicket + 10);
  acc.dataset.delete("users", liveIds(acc.dataset, "users")[5]);
  acc.dataset.delete("organizations", liveIds(acc.dataset, "organizations")[2]);
  acc.dataset.update("tickets", firstTicket + 20, { status: "solved" });
  acc.dataset.create("tickets", { subject: "Created later", status: "new", tags: [] });
}

describe("list endpoints with cursor pagination", () => {
  for (const object of OBJECTS) {
    for (const size of [100, 7]) {
      it(`walks every live ${object} exactly once with page[size]=${size}`, () => {
        const acc = account();
        churn(acc);
        const seen: number[] = [];
        let page = body(acc.call(`/api/v2/${object}.json`, { "page[size]": String(size) }));
        for (;;) {
          const items = page[object] as Item[];
          expect(items.length).toBeLessThanOrEqual(size);
          seen.push(...items.map((item) => item.id));
          const meta = page.meta as Body;
          if (!meta.has_more) break;
          page = body(acc.follow((page.links as Body).next as string));
        }
        expect(new Set(seen).size).toBe(seen.length);
        expect(seen).toEqual(liveIds(acc.dataset, object));
      });
    }
  }

  it("walks backwards through links.prev to the first record", () => {
    const acc = account();
    churn(acc);
    const all = liveIds(acc.dataset, "organizations");
    const lastCursor = Buffer.from(JSON.stringify([all[all.length - 1] + 1])).toString("base64url");
    const seen: number[] = [];
    let page = body(acc.call("/api/v2/organizations.json", { "page[size]": "7", "page[before]": lastCursor }));
    for (;;) {
      seen.unshift(...(page.organizations as Item[]).map((item) => item.id));
      if (!(page.meta as Body).has_more) break;
      page = body(acc.follow((page.links as Body).prev as string));
    }
    expect(seen).toEqual(all);
  });

  it("pages by offset when no page[...] parameter is given, up to page 100", () => {
    const acc = account();
    const ids = liveIds(acc.dataset, "users");
    const second = body(acc.call("/api/v2/users.json", { page: "2", per_page: "25" }));
    expect((second.users as Item[]).map((u) => u.id)).toEqual(ids.slice(25, 50));
    expect(second.count).toBe(ids.length);
    expect(second.next_page).toBe(`${BASE}/api/v2/users.json?page=3&per_page=25`);
    expect(second.previous_page).toBe(`${BASE}/api/v2/users.json?page=1&per_page=25`);
    const err = body(acc.call("/api/v2/users.json", { page: "101" }), 400);
    expect(err.error).toBe("InvalidPaginationParameter");
    expect(err.description).toMatch(/page/);
  });

  it("rejects bad pagination parameters with a 400 naming them", () => {
    const acc = account();
    for (const [params, name] of [
      [{ "page[size]": "101" }, "page[size]"],
      [{ "page[size]": "0" }, "page[size]"],
      [{ "page[after]": "not-a-cursor" }, "page[after]"],
      [{ "page[before]": "eyJ4IjoxfQ" }, "page[before]"],
      [{ per_page: "abc" }, "per_page"],
    ] as const) {
      const err = body(acc.call("/api/v2/tickets.json", params), 400);
      expect(err).toEqual({ error: "InvalidPaginationParameter", description: expect.stringContaining(name) });
    }
  });
});

describe("show endpoints", () => {
  it("renders a ticket the way Zendesk does", () => {
    const acc = account();
    const id = liveIds(acc.dataset, "tickets")[0];
    const ticket = body(acc.call(`/api/v2/tickets/${id}.json`)).ticket as Item;
    expect(ticket).toMatchObject({ id, url: `${BASE}/api/v2/tickets/${id}.json` });
    expect(ticket.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(ticket.updated_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(["new", "open", "pending", "hold", "solved", "closed"]).toContain(ticket.status);
    expect(typeof ticket.subject).toBe("string");
    const requester = body(acc.call(`/api/v2/users/${ticket.requester_id}.json`)).user as Item;
    expect(requester.role).toBe("end-user");
    if (ticket.assignee_id !== null) expect((body(acc.call(`/api/v2/users/${ticket.assignee_id}.json`)).user as Item).role).toBe("agent");
  });

  it("answers 404 RecordNotFound for missing and deleted records, InvalidEndpoint for unknown paths", () => {
    const acc = account();
    const id = liveIds(acc.dataset, "tickets")[0];
    acc.dataset.delete("tickets", id);
    const notFound = { error: "RecordNotFound", description: "Not found" };
    expect(body(acc.call(`/api/v2/tickets/${id}.json`), 404)).toEqual(notFound);
    expect(body(acc.call("/api/v2/users/1.json"), 404)).toEqual(notFound);
    expect(body(acc.call("/api/v2/users/abc.json"), 404)).toEqual(notFound);
    expect(body(acc.call(`/api/v2/tickets/${id}/comments.json`), 404)).toEqual(notFound);
    for (const path of ["/api/v2/groups.json", "/api/v2/tickets", "/api/v1/tickets.json", "/api/v2/incremental/organizations/cursor.json"]) {
      expect(body(acc.call(path), 404)).toEqual({ error: "InvalidEndpoint", description: "Not found" });
    }
  });
});

describe("incremental exports", () => {
  for (const object of OBJECTS) {
    it(`time-based: exports every ${object} exactly once in updated_at order`, () => {
      const acc = account();
      const { items, last } = timeExport(acc, object, { start_time: "0" });
      expectExactlyOnceInOrder(items);
      expect(items.map((i) => i.id).sort((a, b) => a - b)).toEqual(liveIds(acc.dataset, object));
      expect(last.end_time).toBe(Math.floor(acc.now() / 1000) - 60);
    });
  }

  for (const object of ["tickets", "users"] as const) {
    it(`cursor-based: exports every ${object} exactly once in updated_at order`, () => {
      const acc = account();
      const { items, last } = cursorExport(acc, object, { start_time: "0" });
      expectExactlyOnceInOrder(items);
      expect(items.map((i) => i.id).sort((a, b) => a - b)).toEqual(liveIds(acc.dataset, object));
      expect(last).toMatchObject({ before_url: null, before_cursor: null, after_cursor: expect.any(String) });
    });
  }

  it("sets end_time to the last item's updated_at on full pages", () => {
    const acc = account();
    const page = body(acc.call("/api/v2/incremental/tickets.json", { start_time: "0" }));
    const tickets = page.tickets as Item[];
    expect(tickets).toHaveLength(1000);
    expect(page.end_of_stream).toBe(false);
    expect(page.end_time).toBe(Math.floor(ms(tickets[999].updated_at) / 1000));
    expect(page.next_page).toContain(`start_time=${page.end_time}`);
  });

  it("never repeats or skips records that share one updated_at millisecond", () => {
    const acc = account();
    const start = Math.floor(acc.now() / 1000);
    for (let i = 0; i < 25; i++) acc.dataset.create("tickets", { subject: `Burst ${i}`, status: "new" });
    acc.advance(2 * MINUTE);
    const timed = timeExport(acc, "tickets", { start_time: String(start), per_page: "10" });
    expect(timed.pages).toBe(3);
    const cursor = cursorExport(acc, "tickets", { start_time: String(start), per_page: "10" });
    for (const run of [timed.items, cursor.items]) {
      expect(run).toHaveLength(25);
      expectExactlyOnceInOrder(run);
    }
  });

  it("returns exactly the changed records after the previous end_time or cursor, deleted ones marked", () => {
    const acc = account();
    const timed = Object.fromEntries(OBJECTS.map((o) => [o, timeExport(acc, o, { start_time: "0" }).last.end_time as number]));
    const cursor = cursorExport(acc, "tickets", { start_time: "0" }).last.after_cursor as string;
    acc.advance(60 * MINUTE);
    const tickets = liveIds(acc.dataset, "tickets");
    const updated = [tickets[1], tickets[500], tickets[2000]];
    const deleted = [tickets[2], tickets[1500]];
    for (const id of updated) acc.dataset.update("tickets", id, { status: "solved" });
    for (const id of deleted) acc.dataset.delete("tickets", id);
    const created = acc.dataset.create("tickets", { subject: "New one", status: "new", tags: [] }).id;
    const deletedUser = liveIds(acc.dataset, "users")[7];
    acc.dataset.delete("users", deletedUser);
    const deletedOrg = liveIds(acc.dataset, "organizations")[3];
    acc.dataset.delete("organizations", deletedOrg);
    acc.advance(2 * MINUTE);

    const changedTickets = [...updated, ...deleted, created].sort((a, b) => a - b);
    const fromEndTime = timeExport(acc, "tickets", { start_time: String(timed.tickets) }).items;
    const fromCursor = cursorExport(acc, "tickets", { cursor }).items;
    for (const items of [fromEndTime, fromCursor]) {
      expect(items.map((t) => t.id).sort((a, b) => a - b)).toEqual(changedTickets);
      for (const t of items) expect(t.status).toBe(deleted.includes(t.id) ? "deleted" : updated.includes(t.id) ? "solved" : "new");
    }
    const withoutDeleted = timeExport(acc, "tickets", { start_time: String(timed.tickets), exclude_deleted: "true" }).items;
    expect(withoutDeleted.map((t) => t.id).sort((a, b) => a - b)).toEqual([...updated, created].sort((a, b) => a - b));

    const users = timeExport(acc, "users", { start_time: String(timed.users) }).items;
    expect(users).toEqual([expect.objectContaining({ id: deletedUser, active: false })]);
    const orgs = timeExport(acc, "organizations", { start_time: String(timed.organizations) }).items;
    expect(orgs).toEqual([expect.objectContaining({ id: deletedOrg, deleted_at: expect.stringMatching(/Z$/) })]);
  });

  it("leaves out changes made in the last minute until they settle", () => {
    const acc = account();
    const end = timeExport(acc, "tickets", { start_time: "0" }).last.end_time as number;
    const id = liveIds(acc.dataset, "tickets")[10];
    acc.advance(5 * MINUTE);
    acc.dataset.update("tickets", id, { priority: "urgent" });
    acc.advance(30_000);
    expect(timeExport(acc, "tickets", { start_time: String(end) }).items).toEqual([]);
    acc.advance(31_000);
    expect(timeExport(acc, "tickets", { start_time: String(end) }).items.map((t) => t.id)).toEqual([id]);
  });

  it("rejects a missing, malformed, future or too recent start_time, naming it", () => {
    const acc = account();
    const nowSeconds = Math.floor(acc.now() / 1000);
    for (const path of ["/api/v2/incremental/tickets.json", "/api/v2/incremental/tickets/cursor.json", "/api/v2/incremental/users.json"]) {
      const cases: Record<string, string>[] = [
        {},
        { start_time: "" },
        { start_time: "yesterday" },
        { start_time: "-5" },
        { start_time: String(nowSeconds + 3600) },
        { start_time: String(nowSeconds - 30) },
      ];
      for (const params of cases) {
        const err = body(acc.call(path, params), 400);
        expect(err).toEqual({ error: "InvalidValue", description: expect.stringContaining("start_time") });
      }
    }
    expect(body(acc.call("/api/v2/incremental/tickets.json", { start_time: String(nowSeconds - 30) }), 400).description).toBe(
      "Too recent start_time. Use a start_time older than 1 minute",
    );
    expect(body(acc.call("/api/v2/incremental/tickets/cursor.json", { cursor: "garbage" }), 400).description).toContain("cursor");
    expect(body(acc.call("/api/v2/incremental/tickets.json", { start_time: "0", per_page: "1001" }), 400).description).toContain("per_page");
  });
});

describe("ticket comments", () => {
  it("paginate per ticket, 1 to 6 each, deterministically, first one the description", () => {
    const acc = account();
    const other = account();
    const ids = liveIds(acc.dataset, "tickets").slice(0, 40);
    const counts = new Set<number>();
    for (const id of ids) {
      const ticket = body(acc.call(`/api/v2/tickets/${id}.json`)).ticket as Item;
      const all = body(acc.call(`/api/v2/tickets/${id}/comments.json`)).comments as Item[];
      counts.add(all.length);
      expect(all.length).toBeGreaterThanOrEqual(1);
      expect(all.length).toBeLessThanOrEqual(6);
      expect(all[0]).toMatchObject({ body: ticket.description, author_id: ticket.requester_id, public: true });
      for (const c of all) {
        expect(ms(c.created_at)).toBeGreaterThanOrEqual(Math.floor(ms(ticket.created_at) / 1000) * 1000);
        expect(ms(c.created_at)).toBeLessThanOrEqual(ms(ticket.updated_at));
        expect([ticket.requester_id, ticket.assignee_id]).toContain(c.author_id);
      }
      const paged: Item[] = [];
      let page = body(acc.call(`/api/v2/tickets/${id}/comments.json`, { "page[size]": "2" }));
      for (;;) {
        paged.push(...(page.comments as Item[]));
        if (!(page.meta as Body).has_more) break;
        page = body(acc.follow((page.links as Body).next as string));
      }
      expect(paged).toEqual(all);
      expect(body(other.call(`/api/v2/tickets/${id}/comments.json`)).comments).toEqual(all);
    }
    expect(counts.size).toBeGreaterThan(3);
  });

  it("keep their history when the ticket changes later", () => {
    const acc = account();
    const id = liveIds(acc.dataset, "tickets")[3];
    const before = body(acc.call(`/api/v2/tickets/${id}/comments.json`)).comments;
    acc.advance(MINUTE);
    acc.dataset.update("tickets", id, { description: "rewritten", status: "closed" });
    expect(body(acc.call(`/api/v2/tickets/${id}/comments.json`)).comments).toEqual(before);
  });
});

describe("determinism", () => {
  it("serves identical pages for one seed and different ones for another", () => {
    const page = (seed: number) => body(account({ seed }).call("/api/v2/tickets.json", { "page[size]": "50" })).tickets;
    expect(page(1)).toEqual(page(1));
    expect(page(2)).not.toEqual(page(1));
  });
});

describe("performance", () => {
  it("serves an export page of 1000 from a 200,000-record account in under 500 ms", () => {
    const acc = account({ size: 200_000 });
    const timings: Record<string, number> = {};
    const time = (label: string, run: () => SandboxResponse) => {
      const started = performance.now();
      const response = run();
      timings[label] = Math.round((performance.now() - started) * 10) / 10;
      return body(response);
    };
    const first = time("time-based from 0", () => acc.call("/api/v2/incremental/tickets.json", { start_time: "0" }));
    expect(first.tickets).toHaveLength(1000);
    const middle = String(Math.floor((ANCHOR - 365 * 24 * 3600 * 1000) / 1000));
    expect(time("time-based from mid-history", () => acc.call("/api/v2/incremental/tickets.json", { start_time: middle })).tickets).toHaveLength(1000);
    expect(time("cursor-based from mid-history", () => acc.call("/api/v2/incremental/tickets/cursor.json", { start_time: middle })).tickets).toHaveLength(1000);
    const next = time("time-based next_page", () => acc.follow(first.next_page as string));
    expect(next.tickets).toHaveLength(1000);
    expect(time("list page of 100", () => acc.call("/api/v2/tickets.json", { "page[size]": "100" })).tickets).toHaveLength(100);
    console.info("zendesk sandbox timings (ms):", timings);
    for (const elapsed of Object.values(timings)) expect(elapsed).toBeLessThan(500);
  });
});

describe("an organization's users and tickets", () => {
  it.each(["users", "tickets"] as const)("list exactly the organization's live %s, page after page", (object) => {
    const acc = account({ size: 2000 });
    const members = new Map<number, number[]>();
    for (const id of liveIds(acc.dataset, object)) {
      const org = acc.dataset.get(object, id)!.data.organization_id;
      if (typeof org === "number") members.set(org, [...(members.get(org) ?? []), id]);
    }
    const [orgId, expected] = [...members.entries()].sort((a, b) => b[1].length - a[1].length)[0];
    expect(expected.length).toBeGreaterThan(2);
    const seen: number[] = [];
    let page = body(acc.call(`/api/v2/organizations/${orgId}/${object}.json`, { "page[size]": "2" }));
    for (let pages = 0; ; pages++) {
      for (const item of page[object] as Item[]) {
        expect(item.organization_id).toBe(orgId);
        seen.push(item.id);
      }
      const meta = page.meta as { has_more: boolean };
      if (!meta.has_more) break;
      page = body(acc.follow((page.links as { next: string }).next));
      if (pages > MAX_PAGES) throw new Error("never ended");
    }
    expect(seen).toEqual(expected);
  });

  it("answer 404 for an organization that does not exist", () => {
    const acc = account({ size: 200 });
    expect(acc.call("/api/v2/organizations/1/users.json").status).toBe(404);
  });
});
