// Writes through the unified API (POST /ticketing/tickets, PATCH /ticketing/tickets/{id}) through the
// route handlers, on a real database, against the Zendesk emulator over HTTP: a ticket created and
// updated reads back equal from Tributary and from the emulator's ground truth, with its events, and
// the next incremental sync finds nothing new; a bad body or a reference to a record Tributary does
// not hold is a 400 naming the field, Zendesk's refusal a 422 with its reason; and Idempotency-Key
// writes once — also when the first attempt's answer reached the platform but never Tributary.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "@/lib/crypto";
import { testDatabaseKinds } from "@/lib/db/testing";
import { syncDue } from "@/lib/sync/drive";
import { openPlatformSession } from "@/lib/sync/platform-session";
import { requestSync } from "@/lib/sync/planner";
import { platformKey } from "@/lib/sync/writes";
import { callDataRoute, createApiFixtures, nextIncrementalSync, type ApiFixtures } from "./routes.testing";

type Json = Record<string, unknown>;

describe.each(testDatabaseKinds())("writes through the unified API (%s)", (kind) => {
  let api: ApiFixtures;
  let connectionId: string;
  const account = `write-desk-${kind}`;
  const token = `access_write_desk_${kind}`;

  beforeAll(async () => {
    api = await createApiFixtures(kind);
    connectionId = await api.h.connect("zendesk", { id: account, size: 100 });
    await api.h.database.db.connection.update({ where: { id: connectionId }, data: { accessTokenHash: hashToken(token) } });
    // The first batch and the history: the users and organizations a ticket names are Tributary's.
    await syncDue(api.h.engine, connectionId);
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  });

  const send = async (method: "POST" | "PATCH" | "GET" | "DELETE", path: string, options: { body?: unknown; key?: string; query?: string } = {}) =>
    await callDataRoute(api, token, method, path, options);
  const truth = async () => (await api.h.truthRows("zendesk", account, "tickets")).filter((row) => !row.deleted);
  /** The ticket as the emulator holds it (Zendesk's own fields). */
  const onPlatform = (id: string) => api.h.sandbox.registry.get("zendesk", account)!.dataset.get("tickets", Number(id))!.data as Json;
  const agentAndOrganization = async () => {
    const users = await api.h.database.db.record.findMany({ where: { connectionId, object: "users", deletedAt: null } });
    const agent = users.find((user) => (user.data as Json).role === "agent")!;
    const organization = await api.h.database.db.record.findFirstOrThrow({ where: { connectionId, object: "organizations", deletedAt: null } });
    return { agent: agent.externalId, organization: organization.externalId };
  };

  it("creates and updates a ticket, which reads back equal from Tributary and from the platform, with its events; the next sync finds nothing new", async () => {
    const { agent, organization } = await agentAndOrganization();
    const before = (await truth()).length;
    const created = await send("POST", "/ticketing/tickets", {
      body: {
        subject: "Printer offline",
        description: "Restarting does not help.",
        priority: "high",
        assignee_id: agent,
        organization_id: organization,
        tags: ["printer", "vip"],
      },
    });
    expect(created.status).toBe(201);
    const record = created.body.record as Json & { data: Json };
    expect(record).toMatchObject({ object: "tickets", record_id: expect.stringMatching(/^rec_/) });
    expect(record.data).toMatchObject({
      subject: "Printer offline",
      description: "Restarting does not help.",
      priority: "high",
      assignee_id: agent,
      tags: ["printer", "vip"],
    });
    const id = String(record.id);

    // On the platform: one ticket more, this one, with the same unified fields.
    const rows = await truth();
    expect(rows.length).toBe(before + 1);
    expect(rows.some((row) => row.externalId === id)).toBe(true);
    expect(onPlatform(id)).toMatchObject({ subject: "Printer offline", priority: "high", tags: ["printer", "vip"], assignee_id: Number(agent) });
    expect(await api.h.database.db.event.count({ where: { connectionId, type: "TICKET_CREATED", externalId: id } })).toBe(1);

    const updated = await send("PATCH", `/ticketing/tickets/${id}`, {
      body: { status: "pending", tags: ["printer"], comment: { body: "Sent a technician.", public: false } },
    });
    expect(updated.status).toBe(200);
    expect((updated.body.record as { data: Json }).data).toMatchObject({ status: "pending", tags: ["printer"] });
    expect(onPlatform(id)).toMatchObject({ status: "pending", tags: ["printer"] });
    // By Tributary's record id too.
    const again = await send("PATCH", `/ticketing/tickets/${String(record.record_id)}`, { body: { priority: "urgent" } });
    expect((again.body.record as { data: Json }).data).toMatchObject({ id, priority: "urgent", status: "pending" });
    expect(await api.h.database.db.event.count({ where: { connectionId, type: "TICKET_UPDATED", externalId: id } })).toBe(2);

    // Read back through the data API, equal to what the write answered.
    const read = await send("GET", "/ticketing/tickets", { query: "&limit=500" });
    expect(read.body.next_cursor).toBeNull();
    expect((read.body.tickets as Json[]).find((ticket) => ticket.id === id)).toEqual(again.body.record);

    // The next incremental sync reads the ticket again, unchanged: no event, no update.
    const events = await api.h.database.db.event.count({ where: { connectionId, externalId: id } });
    // Past the minute Zendesk's exports hold back, so the export lists the written ticket.
    const stats = await nextIncrementalSync(api, connectionId, 3 * 60_000);
    expect(stats.objects.tickets).toMatchObject({ created: 0, updated: 0 });
    expect(stats.objects.tickets.unchanged).toBeGreaterThanOrEqual(1);
    expect(await api.h.database.db.event.count({ where: { connectionId, externalId: id } })).toBe(events);
  }, 120_000);

  it("names the field of a bad body, of a reference Tributary does not hold, and answers Zendesk's refusal as 422 with its reason", async () => {
    const before = (await truth()).length;
    expect(await send("POST", "/ticketing/tickets", { body: { subject: "No description" } })).toMatchObject({ status: 400, body: { field: "description" } });
    expect(await send("POST", "/ticketing/tickets", { body: { subject: "x", description: "y", priority: "asap" } })).toMatchObject({
      status: 400,
      body: { error_code: "INVALID_FIELD", field: "priority" },
    });
    expect(await send("POST", "/ticketing/tickets", { body: { subject: "x", description: "y", assignee_id: "999999999999" } })).toMatchObject({
      status: 400,
      body: { field: "assignee_id", error_message: "assignee_id: no users record 999999999999 in this connection" },
    });
    expect(await send("PATCH", "/ticketing/tickets/1", { body: { status: "open" } })).toMatchObject({ status: 404 });
    expect(await send("PATCH", "/ticketing/tickets/1", { body: {} })).toMatchObject({ status: 400 });
    expect((await truth()).length).toBe(before);

    // A closed ticket: Zendesk refuses any update, and says why.
    const created = await send("POST", "/ticketing/tickets", { body: { subject: "Close me", description: "Done." } });
    const id = String((created.body.record as Json).id);
    expect((await send("PATCH", `/ticketing/tickets/${id}`, { body: { status: "closed" } })).status).toBe(200);
    expect(await send("PATCH", `/ticketing/tickets/${id}`, { body: { status: "open" } })).toMatchObject({
      status: 422,
      body: { error_type: "PLATFORM_ERROR", error_code: "PLATFORM_REFUSED_WRITE", error_message: "Status: closed prevents ticket update", field: "status" },
    });
  }, 60_000);

  it("adds a comment to a ticket as its own record: read back equal from Tributary and from Zendesk's comments; the next sync finds it unchanged", async () => {
    const created = await send("POST", "/ticketing/tickets", { body: { subject: "Where is my order?", description: "Order 2231 has not arrived." } });
    const ticketId = String((created.body.record as Json).id);
    const comment = await send("POST", "/ticketing/comments", { body: { ticket_id: ticketId, body: "Checked with the courier.", public: false } });
    expect(comment.status, JSON.stringify(comment.body)).toBe(201);
    const record = comment.body.record as Json & { data: Json };
    expect(record.data).toMatchObject({ ticket_id: ticketId, body: "Checked with the courier.", public: false });
    const id = String(record.id);
    const onZendesk = await openPlatformSession(api.h.engine, {
      ...(await api.h.database.db.connection.findUniqueOrThrow({ where: { id: connectionId } })),
      platformAccountId: account,
    }).list({ object: "comments", cursor: null, filters: { ticket_id: ticketId } });
    // Equal to what Zendesk lists (the served record adds the record ids of its references).
    const listed = onZendesk.records.find((r) => r.externalId === id);
    expect(listed).toBeDefined();
    expect(record.data).toMatchObject(listed!.data);
    expect(await api.h.database.db.event.count({ where: { connectionId, type: "COMMENT_CREATED", externalId: id } })).toBe(1);

    api.h.advance(3 * 60_000);
    await requestSync(api.h.engine, connectionId);
    await syncDue(api.h.engine, connectionId, { maxRuns: 1 });
    expect(await api.h.database.db.event.count({ where: { connectionId, externalId: id } })).toBe(1);
    expect(await api.h.database.db.record.count({ where: { connectionId, object: "comments", externalId: id } })).toBe(1);

    expect(await send("POST", "/ticketing/comments", { body: { ticket_id: ticketId, body: " " } })).toMatchObject({ status: 400, body: { field: "body" } });
    expect(await send("POST", "/ticketing/comments", { body: { ticket_id: "999999999", body: "x" } })).toMatchObject({
      status: 400,
      body: { field: "ticket_id" },
    });
    expect(await send("PATCH", `/ticketing/comments/${id}`, { body: { body: "edited" } })).toMatchObject({ status: 404 });
    // A closed ticket takes no comment: Zendesk's reason, about the comment's ticket.
    expect((await send("PATCH", `/ticketing/tickets/${ticketId}`, { body: { status: "closed" } })).status).toBe(200);
    expect(await send("POST", "/ticketing/comments", { body: { ticket_id: ticketId, body: "Too late" } })).toMatchObject({
      status: 422,
      body: { error_code: "PLATFORM_REFUSED_WRITE", error_message: "Status: closed prevents ticket update", field: "ticket_id" },
    });
  }, 60_000);

  it("deletes a ticket on Zendesk, marked deleted with one TICKET_DELETED; deleting it again answers the same", async () => {
    const created = await send("POST", "/ticketing/tickets", { body: { subject: "Spam", description: "Buy now" } });
    const id = String((created.body.record as Json).id);
    const before = (await truth()).length;
    const deleted = await send("DELETE", `/ticketing/tickets/${id}`);
    expect(deleted).toMatchObject({ status: 200, body: { record: { id, deleted_at: expect.any(String) } } });
    expect((await truth()).length).toBe(before - 1);
    expect(await api.h.database.db.event.count({ where: { connectionId, type: "TICKET_DELETED", externalId: id } })).toBe(1);
    expect(await send("DELETE", `/ticketing/tickets/${id}`)).toMatchObject({ status: 200, body: { record: { id } } });
    expect(await api.h.database.db.event.count({ where: { connectionId, type: "TICKET_DELETED", externalId: id } })).toBe(1);
    expect(await send("DELETE", "/ticketing/tickets/1")).toMatchObject({ status: 404 });
    expect(await send("DELETE", "/ticketing/users/1")).toMatchObject({
      status: 404,
      body: {
        error_message: expect.stringContaining("deletable: accounting/invoices, accounting/bills, accounting/expenses, accounting/payments, ticketing/tickets"),
      },
    });
  }, 60_000);

  it("writes once per Idempotency-Key: a retry replays the answer, and a retry after the platform made the ticket but Tributary never stored it creates nothing more", async () => {
    const before = (await truth()).length;
    const body = { subject: "Refund request", description: "Charged twice." };
    const first = await send("POST", "/ticketing/tickets", { body, key: "refund-1" });
    const retry = await send("POST", "/ticketing/tickets", { body, key: "refund-1" });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.body).toEqual(first.body);
    expect(await send("POST", "/ticketing/tickets", { body: { ...body, subject: "Other" }, key: "refund-1" })).toMatchObject({
      status: 409,
      body: { error_code: "IDEMPOTENCY_KEY_REUSED" },
    });
    expect((await truth()).length).toBe(before + 1);

    // The crash window: the first attempt's request reached Zendesk (with the key Tributary derives
    // from the caller's), and the process died before storing the answer. The caller's retry sends the
    // same key, Zendesk answers the ticket it made, and Tributary stores that one.
    const connection = await api.h.database.db.connection.findUniqueOrThrow({ where: { id: connectionId } });
    const scope = {
      organizationId: api.h.organizationId,
      environment: "sandbox" as const,
      connection: { ...connection, platformAccountId: account },
      idempotencyKey: "refund-2",
    };
    const lost = await openPlatformSession(api.h.engine, scope.connection).write({
      object: "tickets",
      operation: "create",
      data: body,
      idempotencyKey: platformKey(scope),
    });
    expect((await truth()).length).toBe(before + 2);
    const recovered = await send("POST", "/ticketing/tickets", { body, key: "refund-2" });
    expect(recovered.status).toBe(201);
    expect((recovered.body.record as Json).id).toBe(lost.externalId);
    expect((await truth()).length).toBe(before + 2);
    expect(await api.h.database.db.record.count({ where: { connectionId, object: "tickets", externalId: lost.externalId } })).toBe(1);
  }, 60_000);
});
