// The Zendesk emulator judged by the widely used Node client, node-zendesk (6.0.1), over real HTTP:
// every listing, filter, paging and error path the connector (../connector.ts) relies on — the
// cursor-based incremental exports of tickets and users, the time-based export of organizations,
// ticket comments with cursor pagination, /organizations/{id}/users and /tickets, 401, 404 and 429 with
// Retry-After (the account's limit and the exports' own) — with OAuth tokens and with API tokens.
//
// Pointing the client at the emulator: node-zendesk takes `endpointUri` in place of
// https://{subdomain}.zendesk.com/api/v2, and follows next-page links only when they start with it.
//
// What node-zendesk 6.0.1 cannot do here, and the closest faithful path taken instead:
// - Its export helpers (tickets/users/organizations.incremental) page with getAll, which stops after
//   the first page of any incremental URL unless `response.count >= 1000`, read from the HTTP response
//   rather than the body: they return one page. They are used where one page holds everything.
// - ticketexport.exportCursor(start_time, cursor) serializes an absent cursor as "cursor=undefined", so
//   the first page of a cursor export is read with the client's own GET (client.get with the same path
//   and start_time), and exportCursor follows from there. The users cursor export has no helper at all:
//   it is read with the same GET. The GET is made on the ticketexport client, whose response unwrapping
//   keeps the whole body (after_cursor, end_of_stream); the tickets and users clients unwrap to the list.
// - A 429 with Retry-After is resolved, not thrown: the result is an Error with statusCode 429.
import { createClient, type ZendeskClient, type ZendeskClientOptions } from "node-zendesk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_PLATFORMS } from "@/lib/sandbox/platforms";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";

// The client's answers are Zendesk's JSON, read field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const DESK = "acme-support";
const EMAIL = "agent@acme-support.example";

describe("Zendesk emulator with node-zendesk", () => {
  // Ten minutes behind the wall clock, so the exports' "not the last minute" rule can be stepped over.
  let now = Date.now() - 10 * 60_000;
  let sandbox: SandboxServer;
  let oauth: ZendeskClient;

  const control = async (path: string, method: string, body?: unknown) => {
    const response = await fetch(`${sandbox.url}/control/accounts${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await response.json()) as Json;
  };
  const endpointUri = (desk: string) => `${sandbox.url}/zendesk/${desk}/api/v2`;
  const oauthClient = async (desk: string, options: Partial<ZendeskClientOptions> = {}) => {
    const { access_token } = await control(`/zendesk/${desk}/tokens`, "POST", {});
    return createClient({ endpointUri: endpointUri(desk), token: access_token, oauth: true, ...options });
  };
  const startTime = () => Math.floor((now - 3 * 365 * 86_400_000) / 1000);

  beforeAll(async () => {
    sandbox = await startSandboxServer({ platforms: SANDBOX_PLATFORMS, clock: () => now });
    await control("", "POST", { platform: "zendesk", id: DESK, size: 1500, seed: 3, rate_limited: false });
    now += 2 * 60_000; // the whole generated history is now older than the exports' last minute
    oauth = await oauthClient(DESK);
  });
  afterAll(() => sandbox?.stop());

  /** The help desk's records of an object, live ones only or deleted ones too (which exports include). */
  async function liveIds(object: string, withDeleted = false): Promise<number[]> {
    const { records } = await control(`/zendesk/${DESK}/ground-truth/${object}`, "GET");
    return (records as { id: number; deleted: boolean }[]).filter((r) => withDeleted || !r.deleted).map((r) => r.id);
  }

  /** A cursor-based export to end_of_stream: from start_time, or on from a cursor. */
  async function cursorExport(client: ZendeskClient, object: "tickets" | "users", from: { start_time: number } | { cursor: string }) {
    const items: Json[] = [];
    let page = ((await client.ticketexport.get(["incremental", object, "cursor", from])) as Json).result;
    for (let pages = 1; ; pages++) {
      items.push(...page[object]);
      if (page.end_of_stream) return { items, cursor: page.after_cursor as string, pages };
      page =
        object === "tickets"
          ? ((await client.ticketexport.exportCursor(startTime(), page.after_cursor)) as Json).result
          : ((await client.ticketexport.get(["incremental", "users", "cursor", { cursor: page.after_cursor }])) as Json).result;
      if (pages > 100) throw new Error("the export never reached end_of_stream");
    }
  }

  it("exports every ticket and user by cursor and every organization by time", async () => {
    for (const object of ["tickets", "users"] as const) {
      const { items, pages } = await cursorExport(oauth, object, { start_time: startTime() });
      expect(pages, object).toBeGreaterThan(object === "tickets" ? 1 : 0);
      expect(
        items.map((item) => item.id).sort((a, b) => a - b),
        object,
      ).toEqual(await liveIds(object));
    }
    const organizations = (await oauth.organizations.incremental(String(startTime()))) as Json[];
    expect(organizations.map((item) => item.id).sort((a, b) => a - b)).toEqual(await liveIds("organizations"));
  });

  it("exports exactly what changed after a cursor or an end_time, deleted tickets and users marked", async () => {
    const tickets = await cursorExport(oauth, "tickets", { start_time: startTime() });
    const users = await cursorExport(oauth, "users", { start_time: startTime() });
    const organizationsPage = ((await oauth.ticketexport.get(["incremental", "organizations", { start_time: startTime() }])) as Json).result;
    now += 60_000;
    const [updatedTicket, deletedTicket] = (await liveIds("tickets")).slice(3, 5);
    const deletedUser = (await liveIds("users"))[7];
    const deletedOrganization = (await liveIds("organizations"))[2];
    await control(`/zendesk/${DESK}/changes`, "POST", {
      operations: [
        { op: "update", object: "tickets", id: updatedTicket, data: { status: "solved" } },
        { op: "delete", object: "tickets", id: deletedTicket },
        { op: "delete", object: "users", id: deletedUser },
        { op: "delete", object: "organizations", id: deletedOrganization },
      ],
    });
    now += 2 * 60_000;
    const changedTickets = (await cursorExport(oauth, "tickets", { cursor: tickets.cursor })).items;
    expect(changedTickets.map((t) => [t.id, t.status]).sort()).toEqual([
      [updatedTicket, "solved"],
      [deletedTicket, "deleted"],
    ]);
    expect((await cursorExport(oauth, "users", { cursor: users.cursor })).items).toEqual([expect.objectContaining({ id: deletedUser, active: false })]);
    const changedOrganizations = (await oauth.organizations.incremental(String(organizationsPage.end_time))) as Json[];
    expect(changedOrganizations).toEqual([expect.objectContaining({ id: deletedOrganization, deleted_at: expect.stringMatching(/Z$/) })]);
  });

  it("pages a ticket's comments with cursor pagination, as offset pagination lists them", async () => {
    const tickets = (await liveIds("tickets")).slice(0, 30);
    let paged = 0;
    for (const id of tickets) {
      const byCursor = (await oauth.tickets.getAll(["tickets", id, "comments", { page: { size: 2 } }])) as Json[];
      const byOffset = (await oauth.tickets.getComments(id)) as Json[];
      expect(byCursor.length).toBeGreaterThanOrEqual(1);
      expect(byCursor).toEqual(byOffset);
      expect(byCursor[0]).toMatchObject({ type: "Comment", public: true, body: expect.any(String), created_at: expect.stringMatching(/Z$/) });
      if (byCursor.length > 2) paged++;
    }
    expect(paged).toBeGreaterThan(0);
  });

  it("lists an organization's users and tickets with cursor pagination", async () => {
    // `query` (default query parameters, merged into every URL last) is read by the client but missing
    // from its types; page[size]=5 makes these listings span several pages.
    const options: Partial<ZendeskClientOptions> & { query: Json } = { query: { page: { size: 5 } } };
    const small = await oauthClient(DESK, options);
    const users = (await cursorExport(oauth, "users", { start_time: startTime() })).items.filter((u) => u.active !== false);
    const tickets = (await cursorExport(oauth, "tickets", { start_time: startTime() })).items.filter((t) => t.status !== "deleted");
    const organization = (await liveIds("organizations"))[0];
    const members = (await small.users.listByOrganization(organization)).map((u) => u.id);
    const orgTickets = ((await small.tickets.listByOrganization(organization)) as Json[]).map((t) => t.id);
    const byId = (a: number, b: number) => a - b;
    expect(members.length).toBeGreaterThan(5);
    expect(members).toEqual(
      users
        .filter((u) => u.organization_id === organization)
        .map((u) => u.id)
        .sort(byId),
    );
    expect(orgTickets.length).toBeGreaterThan(5);
    expect(orgTickets).toEqual(
      tickets
        .filter((t) => t.organization_id === organization)
        .map((t) => t.id)
        .sort(byId),
    );
  });

  it("counts tickets, users and organizations through the client's GET of /{object}/count", async () => {
    for (const object of ["tickets", "users", "organizations"]) {
      // The ticketexport client keeps the whole body, as for the cursor exports.
      const { count } = ((await oauth.ticketexport.get([object, "count"])) as Json).result;
      expect(count.value, object).toBe((await liveIds(object)).length);
      expect(Date.parse(count.refreshed_at), object).not.toBeNaN();
    }
  });

  it("reads with an API token sent as Basic {email}/token:{api_token}", async () => {
    const { api_key } = await control(`/zendesk/${DESK}/api-keys`, "POST", {});
    const client = createClient({ endpointUri: endpointUri(DESK), username: EMAIL, token: api_key });
    const { items } = await cursorExport(client, "users", { start_time: startTime() });
    expect(items.map((item) => item.id).sort((a, b) => a - b)).toEqual(await liveIds("users", true));
    const wrong = createClient({ endpointUri: endpointUri(DESK), username: EMAIL, token: `${api_key}x`, throwOriginalException: true });
    await expect(wrong.users.list()).rejects.toMatchObject({ statusCode: 401, result: { error: "Couldn't authenticate you" } });
  });

  it("answers a forged OAuth token with 401, and a closed help desk with 404", async () => {
    const forged = createClient({ endpointUri: endpointUri(DESK), token: "forged", oauth: true, throwOriginalException: true });
    await expect(forged.tickets.list()).rejects.toMatchObject({ statusCode: 401, result: { error: "Couldn't authenticate you" } });
    await control("", "POST", { platform: "zendesk", id: "closing-desk", size: 30, seed: 1, rate_limited: false });
    const closing = await oauthClient("closing-desk", { throwOriginalException: true });
    expect(((await closing.users.list()) as Json[]).length).toBeGreaterThan(0);
    await control("/zendesk/closing-desk/faults", "PUT", { closed: true });
    await expect(closing.users.list()).rejects.toMatchObject({ statusCode: 404, result: { error: "RecordNotFound" } });
  });

  it("answers 429 with Retry-After for the account's limit and for the exports' own limit", async () => {
    await control(`/zendesk/${DESK}/faults`, "PUT", { burst_429: 1 });
    const limited = (await oauth.tickets.get(["tickets"])) as Json;
    expect(limited.response.status).toBe(429);
    expect(Number(limited.response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(limited.result).toBeInstanceOf(Error);
    expect(limited.result).toMatchObject({
      statusCode: 429,
      result: { error: "APIRateLimitExceeded", description: "Number of allowed API requests per minute exceeded" },
    });

    // A tenth of the real allowance: one export request a minute.
    await control("", "POST", { platform: "zendesk", id: "busy-desk", size: 30, seed: 2, rate_limited: true, rate_limit_scale: 0.1 });
    now += 2 * 60_000;
    const busy = await oauthClient("busy-desk");
    expect(((await busy.ticketexport.get(["incremental", "tickets", "cursor", { start_time: startTime() }])) as Json).response.status).toBe(200);
    const refused = (await busy.ticketexport.get(["incremental", "users", "cursor", { start_time: startTime() }])) as Json;
    expect(refused.response.status).toBe(429);
    expect(Number(refused.response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(refused.result).toMatchObject({ statusCode: 429, result: { description: "Number of allowed incremental export API requests per minute exceeded" } });
    expect(((await busy.users.list()) as Json[]).length).toBeGreaterThan(0); // other endpoints still answer
  });
});
