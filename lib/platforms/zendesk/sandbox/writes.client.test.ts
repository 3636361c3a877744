// Ticket writes on the Zendesk emulator, judged by node-zendesk (6.0.1) over real HTTP, as
// client.test.ts judges the reads: Create Ticket (tickets.create) and Update Ticket (tickets.update),
// read back through the client, the list, the count, the cursor-based export, the ticket's comments,
// the control API's ground truth and the account's webhooks; Zendesk's 422 RecordInvalid, 404 and the
// closed-ticket refusal; and Idempotency-Key, sent with the client's `customHeaders` option.
//
// Raw fetch is used where the client cannot go: node-zendesk unwraps Update Ticket's answer to the
// ticket (the audit is read from the raw body), and it always sends JSON (a malformed body is sent raw).
import { createClient, type ZendeskClient, type ZendeskClientOptions } from "node-zendesk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { controlClient } from "@/lib/sandbox/control-client";
import { SANDBOX_PLATFORMS } from "@/lib/sandbox/platforms";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";

// The client's answers are Zendesk's JSON, read field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const DESK = "write-desk";
const HOOK_URL = "http://hooks.test/zendesk";
const zendeskTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

describe("Zendesk emulator ticket writes with node-zendesk", () => {
  let now = Date.now() - 6 * 3600_000;
  let sandbox: SandboxServer;
  let client: ZendeskClient;
  let token: string;
  const hooks: Json[] = [];

  const control = controlClient(() => sandbox.url);
  const endpointUri = () => `${sandbox.url}/zendesk/${DESK}/api/v2`;
  const zendesk = (options: Partial<ZendeskClientOptions> = {}) =>
    createClient({ endpointUri: endpointUri(), token, oauth: true, throwOriginalException: true, ...options });
  /** A request node-zendesk cannot make: any body, and the whole answer kept. */
  const raw = async (method: string, path: string, body: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${endpointUri()}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...headers },
      body,
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Json };
  };
  const groundTruth = async () => ((await control(`/zendesk/${DESK}/ground-truth/tickets`, "GET")).records as Json[]).filter((r) => !r.deleted);
  const ticketCount = async () => ((await client.ticketexport.get(["tickets", "count"])) as Json).result.count.value as number;
  /** The cursor-based export from `cursor` to its end, once the exports' last minute has passed. */
  const exportFrom = async (cursor: string) => {
    now += 2 * 60_000;
    const page = ((await client.ticketexport.get(["incremental", "tickets", "cursor", { cursor }])) as Json).result;
    expect(page.end_of_stream).toBe(true);
    return page.tickets as Json[];
  };
  /** Where the export stands now, past everything written so far: what changes next shows up after this cursor. */
  const exportCursor = async () => {
    now += 2 * 60_000;
    const startTime = Math.floor((now - 3 * 365 * 86_400_000) / 1000);
    let page = ((await client.ticketexport.get(["incremental", "tickets", "cursor", { start_time: startTime }])) as Json).result;
    while (!page.end_of_stream) page = ((await client.ticketexport.get(["incremental", "tickets", "cursor", { cursor: page.after_cursor }])) as Json).result;
    return page.after_cursor as string;
  };
  const rejection = async (promise: Promise<unknown>) => {
    const error = (await promise.then(
      () => expect.unreachable("the request succeeded"),
      (e: unknown) => e,
    )) as Json;
    return { status: error.statusCode as number, body: error.result as Json };
  };

  let users: Json[];
  let agent: Json;
  let endUser: Json;
  let member: Json;

  beforeAll(async () => {
    sandbox = await startSandboxServer({
      platforms: SANDBOX_PLATFORMS,
      clock: () => now,
      fetch: (async (_url: string, init: RequestInit) => {
        hooks.push(JSON.parse(String(init.body)));
        return new Response(null, { status: 200 });
      }) as typeof fetch,
    });
    await control("", "POST", { platform: "zendesk", id: DESK, size: 600, seed: 5, rate_limited: false });
    await control(`/zendesk/${DESK}/webhooks`, "POST", { url: HOOK_URL });
    token = (await control(`/zendesk/${DESK}/tokens`, "POST", {})).access_token;
    now += 2 * 60_000; // the generated history is older than the exports' last minute
    client = zendesk();
    users = (await client.users.list()) as Json[];
    agent = users.find((u) => u.role === "agent");
    endUser = users.find((u) => u.role === "end-user" && u.organization_id === null);
    member = users.find((u) => u.role === "end-user" && u.organization_id !== null);
  });
  afterAll(() => sandbox?.stop());

  it("creates a ticket: 201 with Location, read back by id, listed, counted, exported, in the ground truth and a webhook; its comment is the description", async () => {
    const cursor = await exportCursor();
    const countBefore = await ticketCount();
    now += 60_000;
    const created = (await client.tickets.create({
      ticket: {
        subject: "Printer on fire",
        comment: { body: "The smoke is very colorful." },
        requester_id: endUser.id,
        priority: "high",
        type: "incident",
        tags: ["vip", "printer"],
      },
    })) as Json;
    expect(created.response.status).toBe(201);
    const ticket = created.result;
    expect(created.response.headers.get("location")).toBe(`${endpointUri()}/tickets/${ticket.id}.json`);
    expect(ticket).toMatchObject({
      url: `${endpointUri()}/tickets/${ticket.id}.json`,
      subject: "Printer on fire",
      description: "The smoke is very colorful.",
      status: "new",
      priority: "high",
      type: "incident",
      tags: ["vip", "printer"],
      requester_id: endUser.id,
      submitter_id: endUser.id,
      assignee_id: null,
      via: { channel: "api" },
      created_at: zendeskTime(now),
      updated_at: zendeskTime(now),
    });
    expect(ticket).not.toHaveProperty("sandbox_api_history");

    expect(((await client.tickets.show(ticket.id)) as Json).result).toEqual(ticket);
    expect(((await client.tickets.list()) as Json[]).map((t) => t.id)).toContain(ticket.id);
    expect(await ticketCount()).toBe(countBefore + 1);
    expect(await groundTruth()).toContainEqual({ object: "tickets", id: ticket.id, updated_at: new Date(now).toISOString(), deleted: false });
    expect(await client.tickets.getComments(ticket.id)).toEqual([
      expect.objectContaining({ type: "Comment", body: "The smoke is very colorful.", author_id: endUser.id, public: true, created_at: zendeskTime(now) }),
    ]);
    expect(hooks).toContainEqual(expect.objectContaining({ type: "zen:event-type:ticket.created", detail: expect.objectContaining({ id: ticket.id }) }));
    expect(await exportFrom(cursor)).toEqual([expect.objectContaining({ id: ticket.id, subject: "Printer on fire", status: "new" })]);
  });

  it("takes a new requester by name and email once, then finds them by email; a requester's organization files the ticket", async () => {
    const requester = { name: "Rita Requester", email: "rita.requester@example.net" };
    const first = ((await client.tickets.create({ ticket: { comment: { body: "First" }, requester } })) as Json).result;
    const second = ((await client.tickets.create({ ticket: { comment: { body: "Second" }, requester } })) as Json).result;
    expect(second.requester_id).toBe(first.requester_id);
    expect(((await client.users.show(first.requester_id)) as Json).result).toMatchObject({ ...requester, role: "end-user" });
    expect(((await client.users.list()) as Json[]).filter((u) => u.email === requester.email)).toHaveLength(1);
    expect(first.subject).toBe("First"); // no subject given: the start of the description

    const filed = ((await client.tickets.create({ ticket: { comment: { body: "Mine" }, requester_id: member.id } })) as Json).result;
    expect(filed.organization_id).toBe(member.organization_id);

    // No requester: Zendesk's is the authenticated user, the emulator's the help desk's first agent.
    const unnamed = ((await client.tickets.create({ ticket: { comment: { body: "Ours" }, requester_id: null } as Json })) as Json).result;
    expect([unnamed.requester_id, unnamed.submitter_id]).toEqual([agent.id, agent.id]);
  });

  it("updates status, assignee and tags and adds a comment, listed after the others; the export, ground truth and a webhook see it", async () => {
    const ticket = ((await client.tickets.list()) as Json[]).find((t) => t.status === "open" && t.assignee_id !== agent.id);
    const before = (await client.tickets.getComments(ticket.id)) as Json[];
    const cursor = await exportCursor();
    now += 5 * 60_000;
    const updated = (
      (await client.tickets.update(ticket.id, {
        ticket: { status: "pending", assignee_id: agent.id, tags: ["escalated"], comment: { body: "Looking into it.", public: false, author_id: agent.id } },
      })) as Json
    ).result;
    expect(updated).toMatchObject({ id: ticket.id, status: "pending", assignee_id: agent.id, tags: ["escalated"], updated_at: zendeskTime(now) });
    expect(updated.created_at).toBe(ticket.created_at);
    expect(((await client.tickets.show(ticket.id)) as Json).result).toEqual(updated);

    const after = (await client.tickets.getComments(ticket.id)) as Json[];
    expect(after.slice(0, before.length)).toEqual(before); // the generated history is untouched
    expect(after.slice(before.length)).toEqual([
      expect.objectContaining({
        body: "Looking into it.",
        public: false,
        author_id: agent.id,
        created_at: zendeskTime(now),
        via: expect.objectContaining({ channel: "api" }),
      }),
    ]);

    now += 60_000;
    await client.tickets.update(ticket.id, { ticket: { comment: { body: "Any news?", author_id: ticket.requester_id } } });
    const byCursor = (await client.tickets.getAll(["tickets", ticket.id, "comments", { page: { size: 2 } }])) as Json[];
    expect(byCursor).toEqual(await client.tickets.getComments(ticket.id));
    // The first comment was public, so an added comment is public unless it says otherwise.
    expect(byCursor.map((c) => [c.body, c.public]).slice(-2)).toEqual([
      ["Looking into it.", false],
      ["Any news?", true],
    ]);

    expect(await groundTruth()).toContainEqual({ object: "tickets", id: ticket.id, updated_at: new Date(now).toISOString(), deleted: false });
    expect(hooks.filter((h) => h.type === "zen:event-type:ticket.updated" && h.detail.id === ticket.id).map((h) => h.detail.status)).toEqual([
      "pending",
      "pending",
    ]);
    expect(await exportFrom(cursor)).toEqual([expect.objectContaining({ id: ticket.id, status: "pending", updated_at: zendeskTime(now - 2 * 60_000) })]);
  });

  it("answers Update Ticket with { ticket, audit }: the comment and each changed field as events", async () => {
    const ticket = ((await client.tickets.list()) as Json[]).find((t) => t.status === "open" && t.priority !== "urgent");
    now += 60_000;
    const { status, body } = await raw("PUT", `/tickets/${ticket.id}.json`, JSON.stringify({ ticket: { priority: "urgent", comment: { body: "Bumped." } } }));
    expect(status).toBe(200);
    expect(body.ticket).toMatchObject({ id: ticket.id, priority: "urgent" });
    expect(body.audit).toMatchObject({ ticket_id: ticket.id, created_at: zendeskTime(now), via: { channel: "api" } });
    expect(body.audit.events).toEqual([
      expect.objectContaining({ type: "Comment", body: "Bumped.", public: true, audit_id: body.audit.id }),
      expect.objectContaining({ type: "Change", field_name: "priority", value: "urgent", previous_value: ticket.priority }),
    ]);
    const comments = (await client.tickets.getComments(ticket.id)) as Json[];
    expect(comments[comments.length - 1]).toMatchObject({ id: body.audit.events[0].id, audit_id: body.audit.id, body: "Bumped." });
  });

  it("refuses invalid tickets with 422 RecordInvalid naming the field, and creates nothing", async () => {
    const countBefore = await ticketCount();
    const usersBefore = ((await client.users.list()) as Json[]).length;
    const comment = { body: "Valid comment" };
    const cases: [Json, string, { description: string; error: string }][] = [
      [{ subject: "No comment" }, "base", { description: "Description: cannot be blank", error: "BlankValue" }],
      [{ comment: { body: "   " } }, "base", { description: "Description: cannot be blank", error: "BlankValue" }],
      [
        { comment, status: "bogus" },
        "status",
        { description: 'Status: "bogus" is not one of new, open, pending, hold, solved, closed', error: "InvalidValue" },
      ],
      [{ comment, priority: "asap" }, "priority", { description: 'Priority: "asap" is not one of low, normal, high, urgent', error: "InvalidValue" }],
      [{ comment, type: "chore" }, "type", { description: 'Type: "chore" is not one of question, incident, problem, task', error: "InvalidValue" }],
      [{ comment, requester_id: 1 }, "requester", { description: "Requester: 1 is not a user of this account", error: "InvalidValue" }],
      [{ comment, assignee_id: endUser.id }, "assignee", { description: `Assignee: ${endUser.id} is not an agent`, error: "InvalidValue" }],
      [{ comment, organization_id: 42 }, "organization", { description: "Organization: 42 is not an organization of this account", error: "InvalidValue" }],
      [{ comment, group_id: 7 }, "group", { description: "Group: 7 is not a group of this account", error: "InvalidValue" }],
      [
        { comment, requester: { name: "Nobody", email: "not-an-email" } },
        "requester",
        { description: "Requester: Email:  not-an-email is not properly formatted", error: "InvalidFormat" },
      ],
    ];
    for (const [ticket, field, problem] of cases) {
      const { status, body } = await rejection(client.tickets.create({ ticket }));
      expect(status, JSON.stringify(ticket)).toBe(422);
      expect(body, JSON.stringify(ticket)).toEqual({ error: "RecordInvalid", description: "Record validation errors", details: { [field]: [problem] } });
    }
    expect(await ticketCount()).toBe(countBefore);
    expect(((await client.users.list()) as Json[]).length).toBe(usersBefore);

    for (const body of ["{not json", JSON.stringify({ subject: "no ticket object" })]) {
      const answer = await raw("POST", "/tickets.json", body);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ error: "InvalidValue", description: expect.stringContaining('{"ticket"') });
    }
  });

  it("refuses every update of a closed ticket, and answers 404 for a missing or deleted one", async () => {
    const ticket = ((await client.tickets.create({ ticket: { comment: { body: "Close me" }, requester_id: endUser.id } })) as Json).result;
    now += 60_000;
    const closed = ((await client.tickets.update(ticket.id, { ticket: { status: "closed" } })) as Json).result;
    expect(closed.status).toBe("closed");
    now += 60_000;
    for (const change of [{ status: "open" }, { comment: { body: "Hello?" } }, { tags: ["late"] }] as Json[]) {
      const { status, body } = await rejection(client.tickets.update(ticket.id, { ticket: change }));
      expect(status).toBe(422);
      expect(body).toEqual({
        error: "RecordInvalid",
        description: "Record validation errors",
        details: { status: [{ description: "Status: closed prevents ticket update", error: "ClosedTicket" }] },
      });
    }
    expect(((await client.tickets.show(ticket.id)) as Json).result).toEqual(closed);
    expect(((await client.tickets.getComments(ticket.id)) as Json[]).map((c) => c.body)).toEqual(["Close me"]);

    const notFound = { error: "RecordNotFound", description: "Not found" };
    expect(await rejection(client.tickets.update(1, { ticket: { status: "open" } }))).toEqual({ status: 404, body: notFound });
    const doomed = ((await client.tickets.create({ ticket: { comment: { body: "Delete me" }, requester_id: endUser.id } })) as Json).result;
    await control(`/zendesk/${DESK}/changes`, "POST", { operations: [{ op: "delete", object: "tickets", id: doomed.id }] });
    expect(await rejection(client.tickets.update(doomed.id, { ticket: { status: "open" } }))).toEqual({ status: 404, body: notFound });
  });

  it("deletes a ticket with Delete Ticket (204): gone from reads and listings, exported with status deleted, and a second delete is 404", async () => {
    const cursor = await exportCursor();
    const countBefore = await ticketCount();
    const doomed = ((await client.tickets.create({ ticket: { comment: { body: "Spam" }, requester_id: endUser.id } })) as Json).result;
    now += 60_000;
    const deleted = await fetch(`${endpointUri()}/tickets/${doomed.id}.json`, { method: "DELETE", headers: { Authorization: `Bearer ${token}` } });
    expect([deleted.status, await deleted.text()]).toEqual([204, ""]);
    expect((await rejection(client.tickets.show(doomed.id))).status).toBe(404);
    expect(await ticketCount()).toBe(countBefore);
    expect(((await client.tickets.list()) as Json[]).some((t) => t.id === doomed.id)).toBe(false);
    expect((await exportFrom(cursor)).filter((t) => t.id === doomed.id).map((t) => t.status)).toEqual(["deleted"]);
    expect(await groundTruth()).not.toContainEqual(expect.objectContaining({ id: doomed.id }));
    // node-zendesk's own call, on a ticket already deleted.
    expect((await rejection(client.tickets.delete(doomed.id))).status).toBe(404);
  });

  describe("Idempotency-Key on Create Ticket", () => {
    const payload = () => ({ ticket: { subject: "Once only", comment: { body: "Retried after a timeout." }, requester_id: endUser.id as number } });
    const keyed = (key: string) => zendesk({ customHeaders: { "Idempotency-Key": key } });

    it("answers a retry with the same ticket and x-idempotency-lookup: hit, creating nothing; refuses the key with other parameters", async () => {
      const countBefore = await ticketCount();
      const first = (await keyed("retry-1").tickets.create(payload())) as Json;
      expect(first.response.status).toBe(201);
      expect(first.response.headers.get("x-idempotency-lookup")).toBe("miss");
      now += 30 * 60_000;
      const retry = (await keyed("retry-1").tickets.create(payload())) as Json;
      expect(retry.response.status).toBe(201);
      expect(retry.response.headers.get("x-idempotency-lookup")).toBe("hit");
      expect(retry.response.headers.get("location")).toBe(first.response.headers.get("location"));
      expect(retry.result).toEqual(first.result);
      // The same parameters in another key order and spacing are the same request.
      const reordered = await raw(
        "POST",
        "/tickets.json",
        `{"ticket":{"requester_id":${endUser.id},  "comment":{"body":"Retried after a timeout."},"subject":"Once only"}}`,
        {
          "Idempotency-Key": "retry-1",
        },
      );
      expect([reordered.status, reordered.headers.get("x-idempotency-lookup"), reordered.body.ticket.id]).toEqual([201, "hit", first.result.id]);

      const other = await rejection(keyed("retry-1").tickets.create({ ticket: { ...payload().ticket, subject: "Something else" } }));
      expect(other).toEqual({
        status: 400,
        body: { error: "IdempotentRequestError", description: "Request parameters don't match the given idempotency key" },
      });
      expect(await ticketCount()).toBe(countBefore + 1);
      expect((await groundTruth()).filter((r) => r.id >= first.result.id).map((r) => r.id)).toEqual([first.result.id]);
    });

    it("forgets a key after two hours, and never remembers a refused request", async () => {
      const first = (await keyed("expiring").tickets.create(payload())) as Json;
      now += 2 * 3600_000 - 1000;
      token = (await control(`/zendesk/${DESK}/tokens`, "POST", {})).access_token; // OAuth tokens last an hour
      expect(((await keyed("expiring").tickets.create(payload())) as Json).result.id).toBe(first.result.id);
      now += 1000;
      const later = (await keyed("expiring").tickets.create(payload())) as Json;
      expect(later.response.headers.get("x-idempotency-lookup")).toBe("miss");
      expect(later.result.id).toBeGreaterThan(first.result.id);

      const refused = await raw("POST", "/tickets.json", JSON.stringify({ ticket: { subject: "No comment yet" } }), { "Idempotency-Key": "fixed-later" });
      expect([refused.status, refused.headers.get("x-idempotency-lookup")]).toEqual([422, "miss"]);
      const fixed = (await keyed("fixed-later").tickets.create({ ticket: { subject: "No comment yet", comment: { body: "Now with one." } } })) as Json;
      expect([fixed.response.status, fixed.response.headers.get("x-idempotency-lookup")]).toEqual([201, "miss"]);
    });
  });
});
