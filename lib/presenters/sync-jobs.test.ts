// The Sync jobs pages' reads against a real database: a run's events are its own (not another run's
// on the same connection), in sequence order with their delivery; what an active run waits for; what
// a run may target; another organization's run reads as missing. And the pure shapes: the dependency
// tree, and what an ended run's resources show.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "@/lib/db/testing";
import { tenantDb, type TenantScope } from "@/lib/db/tenant";
import { newId } from "@/lib/db/ids";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { hashToken } from "@/lib/crypto";
import { createEndpoint } from "@/lib/webhooks/endpoints";
import { createJob, createJobRun } from "@/lib/jobs/store";
import { TICKETS_AND_COMMENTS } from "@/lib/jobs/templates";
import { getJobRun, getSyncJob, resourceStatus, resourceTree, totalsOf } from "./sync-jobs";

describe("resourceTree", () => {
  it("puts each resource after its parent, with its depth", () => {
    const tree = resourceTree([
      { resource: "ticketing/comments", method: "list", query: {}, depends_on: "ticketing/tickets" },
      { resource: "ticketing/users", method: "list", query: {} },
      { resource: "ticketing/tickets", method: "list", query: {} },
    ]);
    expect(tree.map((node) => [node.resource.resource, node.depth])).toEqual([
      ["ticketing/users", 0],
      ["ticketing/tickets", 0],
      ["ticketing/comments", 1],
    ]);
  });
});

describe("resourceStatus", () => {
  const progress = (status: "pending" | "running" | "succeeded" | "failed") => ({ requests: 1, pages: 1, records: 1, errors: 0, skipped: 0, status });

  it("shows the walk's status while the run is active", () => {
    expect(resourceStatus(progress("running"), "running")).toBe("running");
    expect(resourceStatus(progress("pending"), "rate_limited")).toBe("pending");
  });

  it("leaves nothing running or pending once the run ended", () => {
    expect(resourceStatus(progress("running"), "cancelled")).toBe("cancelled");
    expect(resourceStatus(progress("running"), "failed")).toBe("failed");
    expect(resourceStatus(progress("pending"), "failed")).toBe("not_reached");
    expect(resourceStatus(progress("pending"), "succeeded")).toBe("succeeded");
    expect(resourceStatus(progress("succeeded"), "cancelled")).toBe("succeeded");
  });

  it("totals every resource's figures", () => {
    expect(totalsOf({ a: progress("succeeded"), b: { ...progress("running"), records: 4, skipped: 2 } })).toEqual({
      requests: 2,
      pages: 2,
      records: 5,
      errors: 0,
      skipped: 2,
    });
    expect(totalsOf(null)).toEqual({ requests: 0, pages: 0, records: 0, errors: 0, skipped: 0 });
  });
});

describe.each(testDatabaseKinds())("sync jobs presenter on %s", (kind) => {
  let database: TestDatabase;
  let org: string;
  let otherOrg: string;
  let desk: string;
  let endpoint: string;
  let jobId: string;
  const scope = (): TenantScope => ({ organizationId: org, environment: "sandbox" });
  const db = () => tenantDb(database.db, scope());

  async function connection(organizationId: string, platform: string, account: string) {
    const id = newId("conn");
    await database.db.connection.create({
      data: { id, organizationId, environment: "sandbox", platform, platformAccountId: account, accountName: account, accessTokenHash: hashToken(id) },
    });
    return id;
  }

  /** An event of `runId` with its delivery to the endpoint and one attempt answered `statusCode`. */
  async function event(runId: string, sequence: number, type: string, data: object, statusCode: number | null, status: "succeeded" | "pending" = "succeeded") {
    const eventId = newId("evt");
    await database.db.event.create({
      data: {
        id: eventId,
        organizationId: org,
        environment: "sandbox",
        connectionId: desk,
        type,
        data: { sync_job_run_id: runId, sequence, ...data },
        fannedOutAt: new Date(),
      },
    });
    const deliveryId = newId("dlv");
    await database.db.delivery.create({
      data: { id: deliveryId, organizationId: org, environment: "sandbox", endpointId: endpoint, eventId, status, attemptCount: statusCode === null ? 0 : 1 },
    });
    if (statusCode !== null) {
      await database.db.deliveryAttempt.create({
        data: { id: newId("att"), organizationId: org, environment: "sandbox", deliveryId, number: 1, startedAt: new Date(), statusCode, latencyMs: 5 },
      });
    }
    return deliveryId;
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const owner = (email: string) => ({ email, name: email, passwordHash: "unused" });
    org = (await createOrganizationWithOwner(database.db, { name: "Acme", slug: "acme", owner: owner("a@example.com") })).organization.id;
    otherOrg = (await createOrganizationWithOwner(database.db, { name: "Globex", slug: "globex", owner: owner("b@example.com") })).organization.id;
    desk = await connection(org, "zendesk", "acme-desk");
    await connection(org, "shopify", "acme-store");
    await connection(otherOrg, "zendesk", "globex-desk");
    endpoint = (await createEndpoint(database.db, scope(), { url: "https://a.example.com/jobs" })).id;
    const disabled = await createEndpoint(database.db, scope(), { url: "https://b.example.com/jobs" });
    await database.db.webhookEndpoint.update({ where: { id: disabled.id }, data: { enabled: false } });
    jobId = (await createJob(database.db, scope(), TICKETS_AND_COMMENTS)).id;
  });

  afterAll(() => database?.close());

  it("offers a run only the job's category's connections and the enabled endpoints", async () => {
    const view = await getSyncJob(db(), jobId);
    expect(view?.connections.map((c) => c.label)).toEqual(["acme-desk · Zendesk"]);
    expect(view?.endpoints.map((e) => e.url)).toEqual(["https://a.example.com/jobs"]);
    expect(view?.tree.map((node) => node.depth)).toEqual([0, 1]);
    expect(await getSyncJob(tenantDb(database.db, { organizationId: otherOrg, environment: "sandbox" }), jobId)).toBeNull();
  });

  it("reads a run's own events in sequence order, each with its delivery, and its progress per resource", async () => {
    const runId = (await createJobRun(database.db, scope(), { syncJobId: jobId, connectionId: desk, webhookEndpointId: endpoint })).id;
    const otherRun = (await createJobRun(database.db, scope(), { syncJobId: jobId, connectionId: desk, webhookEndpointId: endpoint })).id;
    await database.db.syncJobRun.update({
      where: { id: runId },
      data: {
        status: "succeeded",
        startedAt: new Date(),
        finishedAt: new Date(),
        progress: { "ticketing/tickets": { requests: 1, pages: 1, records: 2, errors: 0, skipped: 0, status: "succeeded" } },
      },
    });
    await event(runId, 2, "SYNC_JOB_RUN_RECORD", { resource: "ticketing/tickets", records: [{ id: 1 }, { id: 2 }], parent: null }, 200);
    await event(runId, 1, "SYNC_JOB_RUN_STARTED", {}, 200);
    await event(otherRun, 1, "SYNC_JOB_RUN_STARTED", {}, 200);
    await event(
      runId,
      3,
      "SYNC_JOB_RUN_RECORD",
      { resource: "ticketing/comments", records: [{ id: 9 }], parent: { resource: "ticketing/tickets", id: 1 } },
      500,
      "pending",
    );

    const run = await getJobRun(db(), scope(), runId);
    expect(run?.events.map((e) => [e.sequence, e.type, e.records])).toEqual([
      [1, "SYNC_JOB_RUN_STARTED", null],
      [2, "SYNC_JOB_RUN_RECORD", 2],
      [3, "SYNC_JOB_RUN_RECORD", 1],
    ]);
    expect(run?.eventCount).toBe(3);
    expect(run?.events[2]).toMatchObject({
      parent: { resource: "ticketing/tickets", id: 1 },
      delivery: { status: "pending", attempts: 1, lastStatusCode: 500 },
    });
    // The comments were never reached by this (completed) run: they read as completed, with zeros.
    expect(run?.resources).toEqual([
      { resource: "ticketing/tickets", depth: 0, requests: 1, pages: 1, records: 2, errors: 0, skipped: 0, status: "succeeded" },
      { resource: "ticketing/comments", depth: 1, requests: 0, pages: 0, records: 0, errors: 0, skipped: 0, status: "succeeded" },
    ]);
    expect(run?.active).toBe(false);
    expect(run?.wait).toBeNull();
    expect(
      await getJobRun(tenantDb(database.db, { organizationId: otherOrg, environment: "sandbox" }), { organizationId: otherOrg, environment: "sandbox" }, runId),
    ).toBeNull();
  });

  it("says what an active run waits for: a worker, the platform's rate limit, or the endpoint's answer", async () => {
    const runId = (await createJobRun(database.db, scope(), { syncJobId: jobId, connectionId: desk, webhookEndpointId: endpoint })).id;
    const now = new Date();
    expect((await getJobRun(db(), scope(), runId, now))?.wait).toEqual({ kind: "queued" });

    const later = new Date(now.getTime() + 30_000);
    await database.db.syncJobRun.update({ where: { id: runId }, data: { status: "rate_limited", resumeAt: later } });
    expect((await getJobRun(db(), scope(), runId, now))?.wait).toEqual({ kind: "rate_limited", until: later.toISOString() });

    const deliveryId = await event(runId, 1, "SYNC_JOB_RUN_STARTED", {}, 503, "pending");
    await database.db.syncJobRun.update({
      where: { id: runId },
      data: { status: "running", resumeAt: later, state: { pending: { deliveryId, eventType: "SYNC_JOB_RUN_STARTED" } } },
    });
    expect((await getJobRun(db(), scope(), runId, now))?.wait).toMatchObject({
      kind: "endpoint",
      eventType: "SYNC_JOB_RUN_STARTED",
      attempts: 1,
      lastStatusCode: 503,
      until: later.toISOString(),
    });
    // Once the wait is over the run is fetching again, whatever its state still names.
    expect((await getJobRun(db(), scope(), runId, new Date(later.getTime() + 1)))?.wait).toBeNull();
  });
});
