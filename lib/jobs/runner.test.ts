// Sync job runs against the sandbox help desk (Zendesk's emulator) and a real webhook receiver that
// verifies every delivery: tickets then each ticket's comments, args filtering, incremental runs,
// error handling, rate limits, a receiver that refuses the start, answers slowly, or fails for a while.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { driveJobRun, executeJobRun } from "./runner";
import { attemptDelivery } from "@/lib/webhooks/deliver";
import { stopJobRun, updateJob } from "./store";
import { createJobHarness, TICKETS_AND_COMMENTS, type JobHarness, type ReceivedEvent } from "./testing";

const records = (events: ReceivedEvent[], resource: string) =>
  events.filter((e) => e.type === "SYNC_JOB_RUN_RECORD" && e.data.resource === resource).flatMap((e) => e.data.records as Record<string, unknown>[]);

describe("sync job runs", () => {
  let j: JobHarness;
  beforeAll(async () => {
    j = await createJobHarness();
  });
  afterAll(() => j?.close());

  const reset = () => {
    j.receiver.requests.length = 0;
    j.receiver.answer = () => ({ status: 200 });
    j.receiver.maxInFlight = 0;
  };
  const runEvents = (runId: string) => j.receiver.requests.filter((e) => e.data.sync_job_run_id === runId);
  const acked = (runId: string) => j.receiver.acknowledged().filter((e) => e.data.sync_job_run_id === runId);
  const runRow = (runId: string) => j.h.database.db.syncJobRun.findUniqueOrThrow({ where: { id: runId } });

  it("fetches tickets, then each ticket's comments, and streams them in order", async () => {
    reset();
    const jobId = await j.job(TICKETS_AND_COMMENTS);
    const runId = await j.run(jobId);
    expect(await driveJobRun(j.h.engine, runId)).toEqual({ status: "succeeded" });

    const events = acked(runId);
    expect(events[0].type).toBe("SYNC_JOB_RUN_STARTED");
    expect(events[events.length - 1].type).toBe("SYNC_JOB_RUN_COMPLETED");
    expect(events.map((e) => e.data.sequence)).toEqual(events.map((_, i) => i + 1));
    // Nothing was sent twice.
    expect(runEvents(runId).length).toBe(events.length);

    const tickets = records(events, "ticketing/tickets");
    expect(tickets.map((t) => String(t.id)).sort()).toEqual(await j.h.truth("zendesk", j.accountId, "tickets"));
    // Each ticket's comments arrive after the page that holds the ticket, with the ticket as parent.
    const ticketPageOf = new Map<string, number>();
    const comments = new Map<string, number>();
    for (const event of events.filter((e) => e.type === "SYNC_JOB_RUN_RECORD")) {
      if (event.data.resource === "ticketing/tickets") for (const t of event.data.records as { id: string }[]) ticketPageOf.set(t.id, event.data.sequence);
      else {
        const parent = event.data.parent as { resource: string; id: string };
        expect(parent.resource).toBe("ticketing/tickets");
        expect(ticketPageOf.get(parent.id)).toBeLessThan(event.data.sequence);
        expect(event.data.query).toEqual({ ticket_id: parent.id });
        for (const c of event.data.records as { ticket_id: string }[]) expect(c.ticket_id).toBe(parent.id);
        comments.set(parent.id, (comments.get(parent.id) ?? 0) + (event.data.records as unknown[]).length);
      }
    }
    expect(comments.size).toBeGreaterThan(tickets.length / 2);
    const run = await runRow(runId);
    expect(run.status).toBe("succeeded");
    expect(run.progress).toMatchObject({
      // The help desk's own count of tickets (Zendesk's count.json), asked before the first page.
      "ticketing/tickets": { records: tickets.length, total: tickets.length, status: "succeeded" },
      "ticketing/comments": { records: [...comments.values()].reduce((a, b) => a + b, 0), requests: tickets.length, status: "succeeded" },
    });
    // Comments are listed per ticket: no count is asked for them.
    expect((run.progress as Record<string, { total?: unknown }>)["ticketing/comments"].total).toBeUndefined();
    expect(j.receiver.maxInFlight).toBe(1);
  });

  it("filters by the run's args: an organization's users", async () => {
    reset();
    const all = await j.job({ name: "All users", category: "ticketing", resources: [{ resource: "ticketing/users" }] });
    await driveJobRun(j.h.engine, await j.run(all));
    const users = records(j.receiver.acknowledged(), "ticketing/users") as { id: string; organization_id: string | null }[];
    const counts = new Map<string, number>();
    for (const u of users) if (u.organization_id) counts.set(u.organization_id, (counts.get(u.organization_id) ?? 0) + 1);
    const [orgId, expected] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];

    reset();
    const jobId = await j.job({
      name: "Users of an organization",
      category: "ticketing",
      args_schema: { type: "object", properties: { org_id: { type: "string" } }, required: ["org_id"] },
      resources: [{ resource: "ticketing/users", query: { organization_id: "{{args.org_id}}" } }],
    });
    const runId = await j.run(jobId, { args: { org_id: orgId } });
    expect(await driveJobRun(j.h.engine, runId)).toEqual({ status: "succeeded" });
    const filtered = records(acked(runId), "ticketing/users") as { organization_id: string }[];
    expect(filtered.length).toBe(expected);
    expect(new Set(filtered.map((u) => u.organization_id))).toEqual(new Set([orgId]));
    // A count cannot follow the organization filter: the run says so rather than show the whole desk's users.
    expect(((await runRow(runId)).progress as Record<string, { total?: unknown }>)["ticketing/users"].total).toBeNull();
  });

  it("a proxy resource GETs the platform's own API once per parent record, through the connection's credentials, with its records", async () => {
    reset();
    const jobId = await j.job({
      name: "Organizations and their tickets, as Zendesk writes them",
      category: "ticketing",
      resources: [
        { resource: "ticketing/organizations" },
        {
          resource: "proxy/org_tickets",
          platform: "zendesk",
          path: "/organizations/{{resources.ticketing.organizations.id}}/tickets.json",
          query: { per_page: 100 },
          records_at: "tickets",
          depends_on: "ticketing/organizations",
        },
      ],
    });
    const runId = await j.run(jobId);
    expect(await driveJobRun(j.h.engine, runId)).toEqual({ status: "succeeded" });
    const events = acked(runId);
    const organizations = records(events, "ticketing/organizations") as { id: string }[];
    const pages = events.filter((e) => e.type === "SYNC_JOB_RUN_RECORD" && e.data.resource === "proxy/org_tickets");
    expect(pages.length).toBeGreaterThan(0);
    for (const page of pages) {
      const parent = page.data.parent as { resource: string; id: string };
      expect(parent.resource).toBe("ticketing/organizations");
      expect(page.data.path).toBe(`/organizations/${parent.id}/tickets.json`);
      expect(page.data.query).toEqual({ per_page: 100 });
      // Zendesk's own ticket JSON (its numeric ids, its url), not the unified model.
      for (const ticket of page.data.records as { organization_id: number; url: string }[]) {
        expect(String(ticket.organization_id)).toBe(parent.id);
        expect(ticket.url).toMatch(/\/api\/v2\/tickets\/\d+\.json$/);
      }
    }
    // Every organization's tickets, as the desk holds them (each organization's first 100).
    const desk = j.h.sandbox.registry.get("zendesk", j.accountId)!.dataset;
    const live = desk.list("tickets", { limit: 100_000 }).filter((t) => t.deletedAt === null);
    const expected = organizations.flatMap((o) => live.filter((t) => String(t.data.organization_id) === o.id).slice(0, 100)).map((t) => t.id);
    const proxied = pages.flatMap((page) => page.data.records as { id: number }[]).map((t) => t.id);
    expect(proxied.sort()).toEqual(expected.sort());
    const progress = (await runRow(runId)).progress as Record<string, { requests: number; records: number }>;
    expect(progress["proxy/org_tickets"].requests).toBe(organizations.length);
  });

  it("an incremental run with {{previous_run_date}} returns only what changed; ignore_previous_run fetches all", async () => {
    reset();
    const jobId = await j.job({ ...TICKETS_AND_COMMENTS, name: "Incremental tickets", resources: [TICKETS_AND_COMMENTS.resources[0]] });
    const first = await j.run(jobId);
    await driveJobRun(j.h.engine, first);
    const everything = records(acked(first), "ticketing/tickets").length;
    expect(everything).toBe((await j.h.truth("zendesk", j.accountId, "tickets")).length);

    j.h.advance(5 * 60_000);
    const truth = await j.h.truth("zendesk", j.accountId, "tickets");
    const changed = [truth[3], truth[10], truth[20]];
    const operations = changed.map((id) => ({ op: "update", object: "tickets", id: Number(id), data: { status: "solved" } }));
    expect((await j.h.control(`/zendesk/${j.accountId}/changes`, "POST", { operations })).status).toBe(200);
    // Zendesk's exports leave out the last minute.
    j.h.advance(2 * 60_000);

    const second = await j.run(jobId);
    await driveJobRun(j.h.engine, second);
    const started = acked(second)[0];
    expect(started.data.previous_run_date).toBe((await runRow(first)).startedAt!.toISOString());
    expect(
      records(acked(second), "ticketing/tickets")
        .map((t) => String(t.id))
        .sort(),
    ).toEqual([...changed].sort());

    const full = await j.run(jobId, { ignorePreviousRun: true });
    await driveJobRun(j.h.engine, full);
    expect(acked(full)[0].data.previous_run_date).toBeNull();
    expect(records(acked(full), "ticketing/tickets").length).toBe(everything);
  });

  it.each(["ignore", "fail_fast"] as const)("error_handling %s on injected platform errors", async (errorHandling) => {
    reset();
    const jobId = await j.job({ ...TICKETS_AND_COMMENTS, name: `Errors ${errorHandling}`, error_handling: errorHandling });
    // Once the first page of tickets is delivered, every request to the help desk fails with a 500.
    j.receiver.answer = async (event) => {
      if (event.type === "SYNC_JOB_RUN_RECORD") await j.h.control(`/zendesk/${j.accountId}/faults`, "PUT", { error_rate: 1 });
      return { status: 200 };
    };
    const runId = await j.run(jobId);
    try {
      const result = await driveJobRun(j.h.engine, runId);
      const events = acked(runId);
      const types = events.map((e) => e.type);
      expect(types.filter((t) => t === "SYNC_JOB_RUN_RECORD")).toHaveLength(1);
      if (errorHandling === "ignore") {
        expect(result).toEqual({ status: "succeeded" });
        // One error per ticket of the first page (its comments), then one for the tickets' next page.
        const errors = events.filter((e) => e.type === "SYNC_JOB_RUN_RECORD_ERROR");
        const firstPage = (events.find((e) => e.type === "SYNC_JOB_RUN_RECORD")!.data.records as unknown[]).length;
        expect(errors.filter((e) => e.data.resource === "ticketing/comments")).toHaveLength(firstPage);
        expect(errors[0].data).toMatchObject({ resource: "ticketing/comments", error: { kind: "transient" }, parent: { resource: "ticketing/tickets" } });
        expect(types[types.length - 1]).toBe("SYNC_JOB_RUN_COMPLETED");
        expect(types).not.toContain("SYNC_JOB_RUN_FAILED");
      } else {
        expect(result).toEqual({ status: "failed" });
        expect(types).toEqual(["SYNC_JOB_RUN_STARTED", "SYNC_JOB_RUN_RECORD", "SYNC_JOB_RUN_FAILED"]);
        expect(events[2].data).toMatchObject({ error: { code: "fetch_failed", resource: "ticketing/comments" } });
        expect((await runRow(runId)).error).toMatchObject({ code: "fetch_failed" });
      }
    } finally {
      await j.h.control(`/zendesk/${j.accountId}/faults`, "PUT", { error_rate: 0 });
    }
  });

  it("pauses on the platform's 429, says so, and resumes where it stopped", async () => {
    reset();
    const jobId = await j.job({ ...TICKETS_AND_COMMENTS, name: "Rate limited" });
    const runId = await j.run(jobId);
    let paused = false;
    j.receiver.answer = async (event) => {
      // After the first page of comments, the help desk answers the next request with 429.
      if (!paused && event.type === "SYNC_JOB_RUN_RECORD" && event.data.resource === "ticketing/comments") {
        paused = true;
        await j.h.control(`/zendesk/${j.accountId}/faults`, "PUT", { burst_429: 1 });
      }
      return { status: 200 };
    };
    let result = await executeJobRun(j.h.engine, runId);
    expect(result.status).toBe("rate_limited");
    const row = await runRow(runId);
    expect(row.status).toBe("rate_limited");
    expect(row.resumeAt!.getTime()).toBeGreaterThan(Date.now());
    const limited = acked(runId).find((e) => e.type === "SYNC_JOB_RUN_RATE_LIMITED")!;
    expect(limited.data).toMatchObject({ resource: "ticketing/comments" });
    expect(limited.data.retry_after_ms).toBeGreaterThanOrEqual(1000);

    result = await driveJobRun(j.h.engine, runId);
    expect(result).toEqual({ status: "succeeded" });
    const events = acked(runId);
    // Every ticket's comments exactly once, rate limit or not.
    const parents = events
      .filter((e) => e.data.resource === "ticketing/comments" && e.type === "SYNC_JOB_RUN_RECORD")
      .map((e) => (e.data.parent as { id: string }).id);
    expect(new Set(parents).size).toBe(parents.length);
    expect(runEvents(runId).length).toBe(events.length);
    expect(events.map((e) => e.data.sequence)).toEqual(events.map((_, i) => i + 1));
  });

  it("a 400 answer to SYNC_JOB_RUN_STARTED cancels the run before anything is fetched", async () => {
    reset();
    const jobId = await j.job({ ...TICKETS_AND_COMMENTS, name: "Refused" });
    j.receiver.answer = (event) => ({ status: event.type === "SYNC_JOB_RUN_STARTED" ? 400 : 200 });
    let requests = 0;
    const engine = { ...j.h.engine, fetch: ((input, init) => (requests++, j.h.engine.fetch(input, init))) as typeof fetch };
    const runId = await j.run(jobId);
    expect(await driveJobRun(engine, runId)).toEqual({ status: "cancelled" });
    expect(runEvents(runId).map((e) => e.type)).toEqual(["SYNC_JOB_RUN_STARTED"]);
    expect(requests).toBe(0);
    expect(await runRow(runId)).toMatchObject({ status: "cancelled", error: { code: "cancelled_by_receiver" } });
    const delivery = await j.h.database.db.delivery.findFirstOrThrow({
      where: { event: { type: "SYNC_JOB_RUN_STARTED", data: { path: ["sync_job_run_id"], equals: runId } } },
    });
    expect(delivery.status).toBe("cancelled");
  });

  it("a slow receiver throttles the run: nothing is fetched while a page waits for its answer", async () => {
    reset();
    const jobId = await j.job({ ...TICKETS_AND_COMMENTS, name: "Slow receiver" });
    let holding = false;
    let fetchedWhileHolding = 0;
    let requests = 0;
    j.receiver.answer = async () => {
      holding = true;
      await new Promise((resolve) => setTimeout(resolve, 40));
      holding = false;
      return { status: 200 };
    };
    const engine = {
      ...j.h.engine,
      fetch: ((input, init) => {
        requests++;
        if (holding) fetchedWhileHolding++;
        return j.h.engine.fetch(input, init);
      }) as typeof fetch,
    };
    const started = Date.now();
    const runId = await j.run(jobId);
    expect(await driveJobRun(engine, runId)).toEqual({ status: "succeeded" });
    const events = acked(runId).length;
    expect(requests).toBeGreaterThan(10);
    expect(fetchedWhileHolding).toBe(0);
    expect(j.receiver.maxInFlight).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(events * 40);
  });

  it("a run in progress keeps the definition it started with when the job is edited", async () => {
    reset();
    const jobId = await j.job({ ...TICKETS_AND_COMMENTS, name: "Edited mid-run" });
    j.receiver.answer = (event, attempt) => ({ status: event.data.sequence === 3 && attempt === 1 ? 503 : 200 });
    const runId = await j.run(jobId);
    expect((await executeJobRun(j.h.engine, runId)).status).toBe("waiting");
    await updateJob(j.h.database.db, j.scope, jobId, { name: "Only tickets", category: "ticketing", resources: [{ resource: "ticketing/tickets" }] });
    expect(await driveJobRun(j.h.engine, runId)).toEqual({ status: "succeeded" });
    expect(records(acked(runId), "ticketing/comments").length).toBeGreaterThan(0);
    // The next run follows the edit.
    reset();
    const next = await j.run(jobId);
    await driveJobRun(j.h.engine, next);
    expect(records(acked(next), "ticketing/comments")).toEqual([]);
    expect(acked(next)[0].data).toMatchObject({ sync_job_name: "Only tickets", resources: ["ticketing/tickets"] });
  });

  it("a failing receiver is retried with backoff while the run waits, and the run resumes where it was", async () => {
    reset();
    const jobId = await j.job({ ...TICKETS_AND_COMMENTS, name: "Flaky receiver" });
    // The fourth event fails twice, then succeeds.
    j.receiver.answer = (event, attempt) => ({ status: event.data.sequence === 4 && attempt <= 2 ? 503 : 200 });
    const runId = await j.run(jobId);
    const first = await executeJobRun(j.h.engine, runId);
    expect(first.status).toBe("waiting");
    expect((await runRow(runId)).status).toBe("running");
    expect(await driveJobRun(j.h.engine, runId)).toEqual({ status: "succeeded" });
    const events = acked(runId);
    expect(events.map((e) => e.data.sequence)).toEqual(events.map((_, i) => i + 1));
    const requests = runEvents(runId);
    // Exactly two extra requests, both the fourth event's, under its one webhook-id.
    expect(requests.length).toBe(events.length + 2);
    expect(requests.filter((e) => e.data.sequence === 4).map((e) => e.webhookId)).toEqual(Array(3).fill(events[3].webhookId));
  });

  it("a stopped run sends SYNC_JOB_RUN_STOPPED as its last event, numbered after the last it sent; a queued one sends nothing", async () => {
    reset();
    const jobId = await j.job({ ...TICKETS_AND_COMMENTS, name: "Stopped" });
    // The third event is refused, so the run waits on it when it is stopped.
    j.receiver.answer = (event) => ({ status: event.data.sequence === 3 ? 503 : 200 });
    const runId = await j.run(jobId);
    expect((await executeJobRun(j.h.engine, runId)).status).toBe("waiting");
    await stopJobRun(j.h.database.db, j.scope, runId);
    expect(await executeJobRun(j.h.engine, runId)).toEqual({ status: "cancelled" });

    const { db } = j.h.database;
    const stopped = await db.delivery.findFirstOrThrow({
      where: { event: { type: "SYNC_JOB_RUN_STOPPED", data: { path: ["sync_job_run_id"], equals: runId } } },
    });
    expect(stopped.status).toBe("pending");
    expect(await attemptDelivery(db, stopped.id)).toBe("succeeded");
    const events = acked(runId);
    expect(events.map((e) => e.type)).toEqual(["SYNC_JOB_RUN_STARTED", "SYNC_JOB_RUN_RECORD", "SYNC_JOB_RUN_STOPPED"]);
    expect(events.at(-1)!.data).toMatchObject({ sequence: 4, reason: "Stopped on request", progress: { "ticketing/tickets": { pages: 1 } } });
    // The refused third event is cancelled, never retried after the stop.
    const third = runEvents(runId).find((e) => e.data.sequence === 3)!;
    expect((await db.delivery.findFirstOrThrow({ where: { event: { id: third.webhookId } } })).status).toBe("cancelled");

    const queued = await j.run(jobId);
    await stopJobRun(db, j.scope, queued);
    expect(await db.event.count({ where: { data: { path: ["sync_job_run_id"], equals: queued } } })).toBe(0);
  });
});
