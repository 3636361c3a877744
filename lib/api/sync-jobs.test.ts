// The sync jobs API through its route handlers, on each test database, against the sandbox help desk
// and a receiver that verifies every delivery: jobs created, listed, changed and deleted; each kind of
// invalid definition answered 400 naming its field; a run started by POST, driven to its end and read
// back with its progress; args checked against args_schema when a run is created; a connection of
// another category refused; stopping a run twice; cron triggers with their next run time; the
// resource catalogue; and another organization's ids answered 404 like missing ones.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as listResourcesRoute } from "@/app/api/v1/sync-job-resources/route";
import { POST as activateRoute } from "@/app/api/v1/sync-job-cron-triggers/[id]/activate/route";
import { POST as deactivateRoute } from "@/app/api/v1/sync-job-cron-triggers/[id]/deactivate/route";
import { DELETE as deleteTriggerRoute, GET as getTriggerRoute, PATCH as patchTriggerRoute } from "@/app/api/v1/sync-job-cron-triggers/[id]/route";
import { GET as listTriggersRoute, POST as createTriggerRoute } from "@/app/api/v1/sync-job-cron-triggers/route";
import { GET as getRunRoute } from "@/app/api/v1/sync-job-runs/[id]/route";
import { POST as stopRunRoute } from "@/app/api/v1/sync-job-runs/[id]/stop/route";
import { GET as listRunsRoute, POST as createRunRoute } from "@/app/api/v1/sync-job-runs/route";
import { DELETE as deleteJobRoute, GET as getJobRoute, PATCH as patchJobRoute } from "@/app/api/v1/sync-jobs/[id]/route";
import { GET as listJobsRoute, POST as createJobRoute } from "@/app/api/v1/sync-jobs/route";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { testDatabaseKinds } from "@/lib/db/testing";
import { driveJobRun } from "@/lib/jobs/runner";
import { createJob } from "@/lib/jobs/store";
import { createJobHarness, TICKETS_AND_COMMENTS, type JobHarness } from "@/lib/jobs/testing";
import { provideEngine } from "@/lib/sync/engine";
import { createApiKey } from "./keys";
import { ApiRateLimiter, provideApiRateLimiter } from "./rate-limit";

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Body = Record<string, unknown>;

const basic = (clientId: string, secret: string) => `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`;
const isoDate = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

/** Each kind of invalid definition, the field the answer must name, and what its message must say. */
const INVALID_DEFINITIONS: { what: string; definition: unknown; field: string; message: RegExp }[] = [
  {
    what: "an unknown resource",
    definition: { ...TICKETS_AND_COMMENTS, resources: [{ resource: "ticketing/invoices" }] },
    field: "resources[0].resource",
    message: /is not a resource; ticketing offers/,
  },
  {
    what: "a resource of another category",
    definition: { ...TICKETS_AND_COMMENTS, resources: [{ resource: "commerce/orders" }] },
    field: "resources[0].resource",
    message: /belongs to commerce/,
  },
  {
    what: "a placeholder naming a resource that is not an ancestor",
    definition: {
      ...TICKETS_AND_COMMENTS,
      resources: [TICKETS_AND_COMMENTS.resources[0], { resource: "ticketing/comments", query: { ticket_id: "{{resources.ticketing.tickets.id}}" } }],
    },
    field: "resources[1].query.ticket_id",
    message: /not an ancestor of ticketing\/comments: it has no depends_on/,
  },
  {
    what: "an argument args_schema does not declare",
    definition: { ...TICKETS_AND_COMMENTS, resources: [{ resource: "ticketing/tickets", query: { organization_id: "{{args.org_id}}" } }] },
    field: "resources[0].query.organization_id",
    message: /declares no argument "org_id"/,
  },
  {
    what: "a dependency cycle",
    definition: {
      ...TICKETS_AND_COMMENTS,
      resources: [
        { resource: "ticketing/tickets", depends_on: "ticketing/comments" },
        { resource: "ticketing/comments", depends_on: "ticketing/tickets" },
      ],
    },
    field: "resources[0].depends_on",
    message: /dependency cycle: ticketing\/tickets → ticketing\/comments → ticketing\/tickets/,
  },
  {
    what: "a pattern the linear-time engine cannot run",
    definition: { ...TICKETS_AND_COMMENTS, args_schema: { type: "object", properties: { org_id: { type: "string", pattern: "^(?=a)\\w+$" } } } },
    field: "args_schema.properties.org_id.pattern",
    message: /cannot run on the linear-time engine .*lookahead, lookbehind and backreferences are not supported/,
  },
  {
    what: "an args_schema that is not JSON Schema",
    definition: { ...TICKETS_AND_COMMENTS, args_schema: { type: "object", properties: { org_id: { type: "text" } } } },
    field: "args_schema.properties.org_id.type",
    message: /is not valid JSON Schema/,
  },
  {
    what: "an unknown query parameter",
    definition: { ...TICKETS_AND_COMMENTS, resources: [{ resource: "ticketing/tickets", query: { colour: "red" } }] },
    field: "resources[0].query.colour",
    message: /takes no query parameter "colour"; it takes updated_at_min, organization_id/,
  },
  {
    what: "a time filter that is not a date",
    definition: { ...TICKETS_AND_COMMENTS, resources: [{ resource: "ticketing/tickets", query: { updated_at_min: "yesterday" } }] },
    field: "resources[0].query.updated_at_min",
    message: /ISO-8601/,
  },
  { what: "a missing name", definition: { ...TICKETS_AND_COMMENTS, name: undefined }, field: "name", message: /./ },
  { what: "an unknown category", definition: { ...TICKETS_AND_COMMENTS, category: "crm" }, field: "category", message: /./ },
  {
    what: "an unknown field of a resource",
    definition: { ...TICKETS_AND_COMMENTS, resources: [{ resource: "ticketing/tickets", sort: "id" }] },
    field: "resources[0].sort",
    message: /unknown field/,
  },
];

describe.each(testDatabaseKinds())("the sync jobs API on %s", (kind) => {
  let j: JobHarness;
  let auth: string;
  let otherAuth: string;
  let otherJobId: string;
  let shopifyConnectionId: string;

  const send = async (
    handler: unknown,
    method: string,
    path: string,
    options: { params?: Record<string, string>; body?: unknown; authorization?: string } = {},
  ) => {
    const request = new Request(`http://localhost:3000/api/v1${path}`, {
      method,
      headers: { authorization: options.authorization ?? auth, "content-type": "application/json" },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const response = await (handler as Handler)(request, { params: Promise.resolve(options.params ?? {}) });
    return { status: response.status, body: (await response.json()) as Body };
  };
  const createJobThroughApi = async (definition: unknown) => {
    const created = await send(createJobRoute, "POST", "/sync-jobs", { body: definition });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.sync_job as Body & { id: string };
  };
  const runBody = (syncJobId: string, extra: Body = {}) => ({
    sync_job_id: syncJobId,
    connection_id: j.connectionId,
    webhook_endpoint_id: j.endpointId,
    ...extra,
  });

  beforeAll(async () => {
    // A small help desk: a whole run (tickets, then each ticket's comments) takes well under a second.
    j = await createJobHarness({ kind, size: 12 });
    provideEngine(j.h.engine);
    provideApiRateLimiter(new ApiRateLimiter({ requestsPerSecond: 1e6, burst: 1e6 }));
    const key = await createApiKey(j.h.database.db, { ...j.scope, name: "Backend" });
    auth = basic(key.clientId, key.secret);
    const other = await createOrganizationWithOwner(j.h.database.db, {
      name: "Other",
      slug: `other-jobs-${kind}`,
      owner: { email: "o@example.com", name: "O", passwordHash: "x" },
    });
    const otherScope = { organizationId: other.organization.id, environment: "sandbox" } as const;
    const otherKey = await createApiKey(j.h.database.db, { ...otherScope, name: "Other" });
    otherAuth = basic(otherKey.clientId, otherKey.secret);
    otherJobId = (await createJob(j.h.database.db, otherScope, TICKETS_AND_COMMENTS)).id;
    shopifyConnectionId = await j.h.connect("shopify", { id: `jobs-shop-${kind}`, size: 5 });
  });
  afterAll(async () => {
    provideApiRateLimiter(null);
    await j?.close();
  });

  it("creates a job with the defaults filled in, lists jobs newest first in pages, changes one and deletes it", async () => {
    const job = await createJobThroughApi(TICKETS_AND_COMMENTS);
    expect(job).toEqual({
      id: expect.stringMatching(/^job_[0-9A-Z]{26}$/),
      name: "Tickets with comments",
      category: "ticketing",
      args_schema: { type: "object", properties: {} },
      resources: TICKETS_AND_COMMENTS.resources,
      error_handling: "ignore",
      created_at: isoDate,
      updated_at: isoDate,
    });
    const second = await createJobThroughApi({ ...TICKETS_AND_COMMENTS, name: "Second", error_handling: "fail_fast" });
    expect((await send(getJobRoute, "GET", `/sync-jobs/${job.id}`, { params: { id: job.id } })).body).toEqual({ sync_job: job });

    const first = await send(listJobsRoute, "GET", "/sync-jobs?limit=1");
    expect((first.body.sync_jobs as Body[]).map((r) => r.id)).toEqual([second.id]);
    const next = await send(listJobsRoute, "GET", `/sync-jobs?limit=1&cursor=${first.body.next_cursor as string}`);
    expect((next.body.sync_jobs as Body[]).map((r) => r.id)).toEqual([job.id]);
    // Jobs created by earlier tests come after; another organization's never appear.
    const all = (await send(listJobsRoute, "GET", "/sync-jobs?limit=100")).body.sync_jobs as Body[];
    expect(all.map((r) => r.id)).not.toContain(otherJobId);
    expect((await send(listJobsRoute, "GET", "/sync-jobs?cursor=jrun_x")).body).toMatchObject({ error_code: "INVALID_FIELD", field: "cursor" });

    // A PATCH sends what changes; the rest of the definition stays.
    const renamed = await send(patchJobRoute, "PATCH", `/sync-jobs/${second.id}`, { params: { id: second.id }, body: { name: "Renamed" } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.sync_job).toMatchObject({ name: "Renamed", error_handling: "fail_fast", resources: TICKETS_AND_COMMENTS.resources });
    // …and the merged result is validated whole: comments' placeholder needs tickets as its parent.
    const broken = await send(patchJobRoute, "PATCH", `/sync-jobs/${second.id}`, {
      params: { id: second.id },
      body: { resources: [TICKETS_AND_COMMENTS.resources[1]] },
    });
    expect(broken).toMatchObject({ status: 400, body: { error_code: "INVALID_FIELD", field: "resources[0].depends_on" } });
    expect(((await send(getJobRoute, "GET", `/sync-jobs/${second.id}`, { params: { id: second.id } })).body.sync_job as Body).resources).toEqual(
      TICKETS_AND_COMMENTS.resources,
    );

    expect(await send(deleteJobRoute, "DELETE", `/sync-jobs/${second.id}`, { params: { id: second.id } })).toEqual({
      status: 200,
      body: { id: second.id, deleted: true },
    });
    expect((await send(getJobRoute, "GET", `/sync-jobs/${second.id}`, { params: { id: second.id } })).body).toEqual({
      error_type: "NOT_FOUND",
      error_code: "NOT_FOUND",
      error_message: "No such sync job",
    });
  });

  it.each(INVALID_DEFINITIONS)("refuses $what with 400 naming $field", async ({ definition, field, message }) => {
    const { status, body } = await send(createJobRoute, "POST", "/sync-jobs", { body: definition });
    expect(status).toBe(400);
    expect(body).toMatchObject({ error_type: "INVALID_REQUEST", error_code: "INVALID_FIELD", field });
    expect(body.error_message).toMatch(new RegExp(`^${field.replace(/[[\].]/g, "\\$&")}: `));
    expect(body.error_message).toMatch(message);
  });

  it("lists every problem of a definition in the message, naming the first one's field", async () => {
    const { body } = await send(createJobRoute, "POST", "/sync-jobs", {
      body: { ...TICKETS_AND_COMMENTS, resources: [{ resource: "ticketing/nope" }, { resource: "ticketing/tickets", query: { colour: "red" } }] },
    });
    expect(body.field).toBe("resources[0].resource");
    expect(body.error_message).toMatch(
      /^resources\[0\]\.resource: "ticketing\/nope" is not a resource; .*; resources\[1\]\.query\.colour: ticketing\/tickets takes no query parameter "colour"/,
    );
  });

  it("starts a run by POST, which streams every page to the endpoint, and shows it completed with its progress", async () => {
    const job = await createJobThroughApi(TICKETS_AND_COMMENTS);
    const created = await send(createRunRoute, "POST", "/sync-job-runs", { body: runBody(job.id) });
    expect(created.status).toBe(201);
    const run = created.body.sync_job_run as Body & { id: string };
    expect(run).toMatchObject({
      id: expect.stringMatching(/^jrun_/),
      sync_job_id: job.id,
      connection_id: j.connectionId,
      webhook_endpoint_id: j.endpointId,
      status: "queued",
      args: {},
      ignore_previous_run: false,
      started_at: null,
    });

    expect(await driveJobRun(j.h.engine, run.id)).toEqual({ status: "succeeded" });
    const read = await send(getRunRoute, "GET", `/sync-job-runs/${run.id}`, { params: { id: run.id } });
    expect(read.status).toBe(200);
    const done = read.body.sync_job_run as Body & { progress: Record<string, { records: number; status: string }> };
    const tickets = await j.h.truth("zendesk", j.accountId, "tickets");
    expect(done).toMatchObject({ id: run.id, status: "succeeded", error: null, started_at: isoDate, finished_at: isoDate });
    expect(done.progress["ticketing/tickets"]).toMatchObject({ records: tickets.length, total: tickets.length, status: "succeeded" });
    expect(done.progress["ticketing/comments"]).toMatchObject({ status: "succeeded" });
    expect(done.progress["ticketing/comments"].records).toBeGreaterThan(0);

    const events = j.receiver.acknowledged().filter((e) => e.data.sync_job_run_id === run.id);
    expect(events[0].type).toBe("SYNC_JOB_RUN_STARTED");
    expect(events.at(-1)!.type).toBe("SYNC_JOB_RUN_COMPLETED");

    const listed = async (query: string) => ((await send(listRunsRoute, "GET", `/sync-job-runs?${query}`)).body.sync_job_runs as Body[]).map((r) => r.id);
    expect(await listed(`sync_job_id=${job.id}`)).toEqual([run.id]);
    expect(await listed(`sync_job_id=${job.id}&status=succeeded&connection_id=${j.connectionId}`)).toEqual([run.id]);
    expect(await listed(`sync_job_id=${job.id}&status=failed`)).toEqual([]);
    expect((await send(listRunsRoute, "GET", "/sync-job-runs?status=done")).body).toMatchObject({ field: "status" });
    expect(await send(listRunsRoute, "GET", `/sync-job-runs?sync_job_id=${job.id}`, { authorization: otherAuth })).toEqual({
      status: 200,
      body: { sync_job_runs: [], next_cursor: null },
    });
  });

  it("checks args against the job's args_schema when a run is created, naming args.<name>", async () => {
    const job = await createJobThroughApi({
      ...TICKETS_AND_COMMENTS,
      args_schema: { type: "object", properties: { org_id: { type: "string" } }, required: ["org_id"], additionalProperties: false },
      resources: [{ resource: "ticketing/tickets", query: { organization_id: "{{args.org_id}}" } }],
    });
    const start = (args?: Body) => send(createRunRoute, "POST", "/sync-job-runs", { body: runBody(job.id, args === undefined ? {} : { args }) });
    expect(await start()).toMatchObject({
      status: 400,
      body: { error_code: "INVALID_FIELD", field: "args.org_id", error_message: "args.org_id: is required" },
    });
    expect(await start({ org_id: 5 })).toMatchObject({ status: 400, body: { field: "args.org_id" } });
    expect(await start({ org_id: "5", colour: "red" })).toMatchObject({ status: 400, body: { field: "args.colour" } });
    expect(await start({ org_id: "5" })).toMatchObject({ status: 201, body: { sync_job_run: { args: { org_id: "5" }, status: "queued" } } });
  });

  it("validates args against a catastrophic pattern in linear time: ^(a+)+$ with 28 to 40 a's and a ! costs a run creation well under 50 ms", async () => {
    const job = await createJobThroughApi({
      ...TICKETS_AND_COMMENTS,
      args_schema: { type: "object", properties: { org_id: { type: "string", pattern: "^(a+)+$" } }, patternProperties: { "^(b+)+$": { type: "string" } } },
      resources: [{ resource: "ticketing/tickets", query: { organization_id: "{{args.org_id}}" } }],
    });
    const start = (args: Body) => send(createRunRoute, "POST", "/sync-job-runs", { body: runBody(job.id, { args }) });
    // CPU time, not wall time: a busy machine delays a request, it does not make it compute more. The best
    // of a few tries, since a collection of garbage can land in any one.
    const cpuMs = async (args: Body, tries: number) => {
      let best = Infinity;
      for (let i = 0; i < tries; i++) {
        const before = process.cpuUsage();
        const answer = await start(args);
        const used = process.cpuUsage(before);
        expect(answer).toMatchObject({ status: 400, body: { error_code: "INVALID_FIELD", field: "args.org_id" } });
        best = Math.min(best, (used.user + used.system) / 1000);
      }
      return best;
    };
    // The request's own cost (key, job, connection and endpoint looked up in the database) with an argument that fails at once.
    const control = await cpuMs({ org_id: "!" }, 5);
    for (let length = 28; length <= 40; length++) {
      const args = { org_id: `${"a".repeat(length)}!`, [`${"b".repeat(length)}!`]: "x" };
      expect((await start(args)).body).toMatchObject({ error_message: 'args.org_id: must match pattern "^(a+)+$"' });
      const used = await cpuMs(args, 3);
      // On V8's backtracking engine 28 a's took 2 s and each one more doubled it.
      expect(used - control, `${length} a's: ${used.toFixed(1)} ms of CPU against ${control.toFixed(1)} ms`).toBeLessThan(50);
    }
    expect(await start({ org_id: "a".repeat(4097) })).toMatchObject({
      status: 400,
      body: { field: "args.org_id", error_message: "args.org_id: is 4097 characters long; an argument string may have at most 4096" },
    });
    expect(await start({ org_id: "aaa" })).toMatchObject({ status: 201 });
  });

  it("refuses a connection of another category, and ids that name nothing here, naming the field", async () => {
    const job = await createJobThroughApi(TICKETS_AND_COMMENTS);
    const start = (body: Body) => send(createRunRoute, "POST", "/sync-job-runs", { body: runBody(job.id, body) });
    const shop = await start({ connection_id: shopifyConnectionId });
    expect(shop).toMatchObject({ status: 400, body: { error_type: "INVALID_REQUEST", field: "connection_id" } });
    expect(shop.body.error_message).toMatch(/shopify \(commerce\); this job fetches ticketing resources/);
    // Another organization's job answers as a missing one: a bad field, not a 404 of the route.
    const foreign = await start({ sync_job_id: otherJobId });
    expect(foreign).toEqual({
      status: 400,
      body: {
        error_type: "INVALID_REQUEST",
        error_code: "INVALID_FIELD",
        error_message: "sync_job_id: no sync job with this id in this organization and environment",
        field: "sync_job_id",
      },
    });
    expect((await start({ sync_job_id: "job_01ARZ3NDEKTSV4RRFFQ69G5FAV" })).body).toEqual(foreign.body);
    expect(await start({ connection_id: "conn_nope" })).toMatchObject({ status: 400, body: { field: "connection_id" } });
    expect(await start({ webhook_endpoint_id: "whk_nope" })).toMatchObject({ status: 400, body: { field: "webhook_endpoint_id" } });
    expect(await send(createRunRoute, "POST", "/sync-job-runs", { body: { sync_job_id: job.id } })).toMatchObject({
      status: 400,
      body: { field: "connection_id" },
    });
    expect(await start({ ignore_previous_run: "yes" })).toMatchObject({ status: 400, body: { field: "ignore_previous_run" } });
  });

  it("stops a run, and answers 409 to stopping it again", async () => {
    const job = await createJobThroughApi(TICKETS_AND_COMMENTS);
    const run = (await send(createRunRoute, "POST", "/sync-job-runs", { body: runBody(job.id) })).body.sync_job_run as { id: string };
    const stop = () => send(stopRunRoute, "POST", `/sync-job-runs/${run.id}/stop`, { params: { id: run.id }, body: {} });
    const stopped = await stop();
    expect(stopped).toMatchObject({
      status: 200,
      body: { sync_job_run: { id: run.id, status: "cancelled", finished_at: isoDate, error: { code: "stopped" } } },
    });
    expect(await stop()).toEqual({
      status: 409,
      body: { error_type: "SYNC_JOB_ERROR", error_code: "RUN_FINISHED", error_message: "The run already ended (cancelled)" },
    });
    // A stopped run stays cancelled: the worker does nothing with it.
    expect(await driveJobRun(j.h.engine, run.id)).toEqual({ status: "cancelled" });
  });

  it("deleting a job stops its runs in progress and takes them with it", async () => {
    const job = await createJobThroughApi(TICKETS_AND_COMMENTS);
    const run = (await send(createRunRoute, "POST", "/sync-job-runs", { body: runBody(job.id) })).body.sync_job_run as { id: string };
    expect((await send(deleteJobRoute, "DELETE", `/sync-jobs/${job.id}`, { params: { id: job.id } })).status).toBe(200);
    expect((await send(getRunRoute, "GET", `/sync-job-runs/${run.id}`, { params: { id: run.id } })).status).toBe(404);
  });

  it("creates cron triggers with their next UTC run time, deactivates and activates them, changes, lists and deletes them", async () => {
    const job = await createJobThroughApi({
      ...TICKETS_AND_COMMENTS,
      args_schema: { type: "object", properties: { org_id: { type: "string" } }, additionalProperties: false },
    });
    const create = (extra: Body) =>
      send(createTriggerRoute, "POST", "/sync-job-cron-triggers", { body: runBody(job.id, { cron_expression: "0 3 * * *", ...extra }) });
    for (const expression of ["61 * * * *", "0 3 * *", "0 0 31 2 *", "every day"]) {
      const bad = await create({ cron_expression: expression });
      expect(bad, expression).toMatchObject({ status: 400, body: { error_type: "INVALID_REQUEST", error_code: "INVALID_FIELD", field: "cron_expression" } });
    }
    expect(await create({ connection_id: shopifyConnectionId })).toMatchObject({ status: 400, body: { field: "connection_id" } });
    expect(await create({ args: { org_id: 1 } })).toMatchObject({ status: 400, body: { field: "args.org_id" } });

    const created = await create({});
    expect(created.status).toBe(201);
    const trigger = created.body.sync_job_cron_trigger as Body & { id: string; next_run_at: string };
    expect(trigger).toEqual({
      id: expect.stringMatching(/^cron_[0-9A-Z]{26}$/),
      sync_job_id: job.id,
      connection_id: j.connectionId,
      webhook_endpoint_id: j.endpointId,
      cron_expression: "0 3 * * *",
      args: {},
      active: true,
      last_run_at: null,
      next_run_at: expect.stringMatching(/T03:00:00\.000Z$/),
      created_at: isoDate,
    });
    const now = j.h.engine.clock();
    expect(Date.parse(trigger.next_run_at)).toBeGreaterThan(now);
    expect(Date.parse(trigger.next_run_at)).toBeLessThanOrEqual(now + 24 * 3600_000);

    const params = { id: trigger.id };
    const path = `/sync-job-cron-triggers/${trigger.id}`;
    const deactivated = await send(deactivateRoute, "POST", `${path}/deactivate`, { params, body: {} });
    expect(deactivated).toMatchObject({ status: 200, body: { sync_job_cron_trigger: { id: trigger.id, active: false, next_run_at: null } } });
    const activated = await send(activateRoute, "POST", `${path}/activate`, { params, body: {} });
    expect(activated).toMatchObject({ status: 200, body: { sync_job_cron_trigger: { active: true, next_run_at: trigger.next_run_at } } });

    const patched = await send(patchTriggerRoute, "PATCH", path, { params, body: { cron_expression: "30 * * * *", args: {} } });
    expect(patched.body.sync_job_cron_trigger).toMatchObject({ cron_expression: "30 * * * *", next_run_at: expect.stringMatching(/:30:00\.000Z$/) });
    expect(await send(patchTriggerRoute, "PATCH", path, { params, body: { cron_expression: "* * * * * *" } })).toMatchObject({
      status: 400,
      body: { field: "cron_expression" },
    });
    expect(await send(patchTriggerRoute, "PATCH", path, { params, body: { connection_id: shopifyConnectionId } })).toMatchObject({
      status: 400,
      body: { field: "connection_id", error_message: "connection_id: unknown field" },
    });
    expect((await send(getTriggerRoute, "GET", path, { params })).body.sync_job_cron_trigger).toEqual(patched.body.sync_job_cron_trigger);

    const inactive = await create({ active: false });
    expect(inactive).toMatchObject({ status: 201, body: { sync_job_cron_trigger: { active: false, next_run_at: null } } });
    const inactiveId = (inactive.body.sync_job_cron_trigger as { id: string }).id;
    const listed = await send(listTriggersRoute, "GET", `/sync-job-cron-triggers?sync_job_id=${job.id}`);
    expect(listed).toMatchObject({ status: 200, body: { next_cursor: null } });
    expect((listed.body.sync_job_cron_triggers as Body[]).map((t) => t.id)).toEqual([inactiveId, trigger.id]);
    const page = await send(listTriggersRoute, "GET", `/sync-job-cron-triggers?sync_job_id=${job.id}&limit=1`);
    expect((page.body.sync_job_cron_triggers as Body[]).map((t) => t.id)).toEqual([inactiveId]);
    expect(page.body.next_cursor).toBe(inactiveId);
    expect(
      (await send(listTriggersRoute, "GET", `/sync-job-cron-triggers?sync_job_id=${job.id}`, { authorization: otherAuth })).body.sync_job_cron_triggers,
    ).toEqual([]);

    expect(await send(deleteTriggerRoute, "DELETE", path, { params })).toEqual({ status: 200, body: { id: trigger.id, deleted: true } });
    expect((await send(getTriggerRoute, "GET", path, { params })).status).toBe(404);
  });

  it("lists the resources a job may fetch, with their platforms and query parameters", async () => {
    const ticketing = await send(listResourcesRoute, "GET", "/sync-job-resources?category=ticketing");
    expect(ticketing.status).toBe(200);
    const resources = ticketing.body.resources as { name: string; category: string; platforms: string[]; query: Body[] }[];
    expect(resources.map((r) => r.name)).toEqual(["ticketing/organizations", "ticketing/users", "ticketing/tickets", "ticketing/comments"]);
    expect(resources.find((r) => r.name === "ticketing/comments")).toEqual({
      name: "ticketing/comments",
      category: "ticketing",
      platforms: ["zendesk"],
      query: [
        { name: "updated_at_min", description: expect.any(String), format: "date-time" },
        { name: "ticket_id", description: expect.any(String), format: "string" },
      ],
    });
    const all = (await send(listResourcesRoute, "GET", "/sync-job-resources")).body.resources as { category: string }[];
    expect(new Set(all.map((r) => r.category))).toEqual(new Set(["commerce", "accounting", "ticketing"]));
    expect(await send(listResourcesRoute, "GET", "/sync-job-resources?category=crm")).toMatchObject({ status: 400, body: { field: "category" } });
  });

  it("answers 404 to another organization's key on every job, run and trigger, exactly as to a missing id", async () => {
    const job = await createJobThroughApi(TICKETS_AND_COMMENTS);
    const run = (await send(createRunRoute, "POST", "/sync-job-runs", { body: runBody(job.id) })).body.sync_job_run as { id: string };
    const trigger = (await send(createTriggerRoute, "POST", "/sync-job-cron-triggers", { body: runBody(job.id, { cron_expression: "@daily" }) })).body
      .sync_job_cron_trigger as { id: string };
    const calls: [unknown, string, string, string, Body | undefined][] = [
      [getJobRoute, "GET", "/sync-jobs", job.id, undefined],
      [patchJobRoute, "PATCH", "/sync-jobs", job.id, { name: "Taken" }],
      [deleteJobRoute, "DELETE", "/sync-jobs", job.id, undefined],
      [getRunRoute, "GET", "/sync-job-runs", run.id, undefined],
      [stopRunRoute, "POST", "/sync-job-runs", run.id, {}],
      [getTriggerRoute, "GET", "/sync-job-cron-triggers", trigger.id, undefined],
      [patchTriggerRoute, "PATCH", "/sync-job-cron-triggers", trigger.id, { active: false }],
      [deleteTriggerRoute, "DELETE", "/sync-job-cron-triggers", trigger.id, undefined],
      [activateRoute, "POST", "/sync-job-cron-triggers", trigger.id, {}],
      [deactivateRoute, "POST", "/sync-job-cron-triggers", trigger.id, {}],
    ];
    for (const [handler, method, base, id, body] of calls) {
      const foreign = await send(handler, method, `${base}/${id}`, { params: { id }, body, authorization: otherAuth });
      const missingId = `${id.slice(0, id.indexOf("_"))}_01ARZ3NDEKTSV4RRFFQ69G5FAV`;
      const missing = await send(handler, method, `${base}/${missingId}`, { params: { id: missingId }, body });
      expect(foreign.status, `${method} ${base}/{id}`).toBe(404);
      expect(foreign.body).toEqual(missing.body);
    }
    // Nothing was changed by the other organization's attempts.
    expect((await send(getJobRoute, "GET", `/sync-jobs/${job.id}`, { params: { id: job.id } })).body.sync_job).toMatchObject({
      name: TICKETS_AND_COMMENTS.name,
    });
    expect((await send(getRunRoute, "GET", `/sync-job-runs/${run.id}`, { params: { id: run.id } })).body.sync_job_run).toMatchObject({ status: "queued" });
    expect(
      (await send(getTriggerRoute, "GET", `/sync-job-cron-triggers/${trigger.id}`, { params: { id: trigger.id } })).body.sync_job_cron_trigger,
    ).toMatchObject({ active: true });
  });
});
