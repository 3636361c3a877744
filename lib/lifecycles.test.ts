// The lifecycles as data (lib/lifecycles.ts): each table covers its database enum, final statuses
// go nowhere, and a move that is not in a table is refused — by the table, and by the write that
// goes through it (changeHealth), on a real database. A run that fails after a member disabled its
// connection leaves the connection DISABLED (it used to turn it UNHEALTHY, and so syncing again).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConnectionHealth, ConnectionStage, DeliveryStatus, RunStatus } from "@/lib/generated/prisma/enums";
import {
  ASYNC_WRITE,
  CONNECTION_HEALTH,
  CONNECTION_STAGE,
  DELIVERY,
  IllegalTransitionError,
  SYNC_JOB_RUN,
  SYNC_RUN,
  sqlList,
  type Lifecycle,
} from "./lifecycles";
import { eventCatalogue } from "./events/catalog";
import { deleteConnection, disableConnection } from "./sync/connections";
import { changeHealth } from "./sync/health";
import { emptyObjectStats, executeRun, finishRun, pauseRun, type RunStats } from "./sync/runner";
import { requestSync } from "./sync/planner";
import { createSyncHarness, type SyncHarness } from "./sync/testing";

const TABLES: [Lifecycle<string>, Record<string, string>][] = [
  [SYNC_RUN, RunStatus],
  [SYNC_JOB_RUN, RunStatus],
  [ASYNC_WRITE, RunStatus],
  [DELIVERY, DeliveryStatus],
  [CONNECTION_HEALTH, ConnectionHealth],
  [CONNECTION_STAGE, ConnectionStage],
];

describe("lifecycles", () => {
  it.each(TABLES.map(([lifecycle, statuses]) => ({ name: lifecycle.name, lifecycle, statuses })))(
    "$name: covers its enum, and its final statuses go nowhere",
    ({ lifecycle, statuses }) => {
      expect([...lifecycle.statuses].sort()).toEqual(Object.values(statuses).sort());
      for (const status of lifecycle.final) {
        expect(lifecycle.active).not.toContain(status);
        for (const to of lifecycle.statuses) expect(lifecycle.canMove(status, to)).toBe(false);
      }
    },
  );

  it("gives both kinds of run, and asynchronous writes, one vocabulary: the same statuses, active and final sets, and moves", () => {
    for (const { statuses, active, final } of [SYNC_JOB_RUN, ASYNC_WRITE])
      expect({ statuses, active, final }).toEqual({ statuses: SYNC_RUN.statuses, active: SYNC_RUN.active, final: SYNC_RUN.final });
    for (const from of SYNC_RUN.statuses) expect(ASYNC_WRITE.into(from)).toEqual(SYNC_RUN.into(from));
    expect(SYNC_JOB_RUN.statuses).toEqual(SYNC_RUN.statuses);
    expect(SYNC_JOB_RUN.active).toEqual(SYNC_RUN.active);
    expect(SYNC_JOB_RUN.final).toEqual(SYNC_RUN.final);
    for (const from of SYNC_RUN.statuses) expect(SYNC_JOB_RUN.into(from)).toEqual(SYNC_RUN.into(from));
  });

  it("refuses the moves its tables do not have", () => {
    expect(() => SYNC_RUN.assertMove("succeeded", "running")).toThrow(IllegalTransitionError);
    expect(() => SYNC_JOB_RUN.assertMove("cancelled", "running")).toThrow("A sync job run cannot move from cancelled to running");
    expect(() => CONNECTION_HEALTH.assertMove("DISABLED", "UNHEALTHY")).toThrow(IllegalTransitionError);
    expect(() => CONNECTION_HEALTH.assertMove("NEEDS_UPDATE", "UNHEALTHY")).toThrow(IllegalTransitionError);
    expect(() => CONNECTION_STAGE.assertMove("ONGOING", "INITIAL_SYNC")).toThrow(IllegalTransitionError);
    expect(() => CONNECTION_HEALTH.assertMove("DISABLED", "HEALTHY")).not.toThrow();
    expect(() => DELIVERY.assertMove("failed", "pending")).not.toThrow();
  });

  it("answers which statuses are active or final", () => {
    expect(SYNC_RUN.isActive("rate_limited")).toBe(true);
    expect(SYNC_RUN.isFinal("cancelled")).toBe(true);
    expect(SYNC_JOB_RUN.isActive("succeeded")).toBe(false);
    expect(SYNC_JOB_RUN.isFinal("cancelled")).toBe(true);
  });

  it("names the statuses a write may move from, for its guard", () => {
    expect(DELIVERY.into("succeeded")).toEqual(["pending"]);
    expect(DELIVERY.into("pending")).toEqual(["succeeded", "failed", "cancelled"]);
    expect(SYNC_RUN.into("cancelled")).toEqual(["queued", "running", "rate_limited"]);
    expect(CONNECTION_STAGE.into("INITIAL_SYNC")).toEqual([]);
  });

  it("emits only events of the catalogue, on moves into statuses it has", () => {
    const catalogue = new Set(eventCatalogue());
    for (const lifecycle of [SYNC_RUN, SYNC_JOB_RUN, ASYNC_WRITE, DELIVERY, CONNECTION_HEALTH, CONNECTION_STAGE] as {
      statuses: readonly string[];
      emits: object;
    }[]) {
      for (const [status, event] of Object.entries(lifecycle.emits)) {
        expect(lifecycle.statuses).toContain(status);
        expect(catalogue.has(event), event).toBe(true);
      }
    }
    expect(SYNC_JOB_RUN.emits.cancelled).toBe("SYNC_JOB_RUN_STOPPED");
    expect(CONNECTION_HEALTH.emits.NEEDS_UPDATE).toBe("CONNECTION_NEEDS_UPDATE");
  });

  it("writes statuses into SQL as literals, and nothing else", () => {
    expect(sqlList(SYNC_RUN.active).sql).toBe("('queued', 'running', 'rate_limited')");
    expect(() => sqlList(["queued'); drop table x; --"])).toThrow("Not a status");
  });
});

describe("connection health goes through its lifecycle", () => {
  let h: SyncHarness;
  let connectionId: string;

  beforeAll(async () => {
    h = await createSyncHarness({});
    connectionId = await h.connect("zendesk", { id: "lifecycle-desk", size: 50 });
  });
  afterAll(() => h?.close());

  const connection = () => h.database.db.connection.findUniqueOrThrow({ where: { id: connectionId } });

  it("refuses DISABLED → UNHEALTHY in the write itself, and writes nothing", async () => {
    await disableConnection(h.database.db, connectionId);
    const disabled = await connection();
    await expect(h.database.db.$transaction((tx) => changeHealth(tx, disabled, { to: "UNHEALTHY", detail: "a failure", error: "transient" }))).rejects.toThrow(
      IllegalTransitionError,
    );
    expect(await connection()).toMatchObject({ health: "DISABLED", disabledReason: "disabled_by_user" });
    expect(await h.database.db.event.count({ where: { connectionId, type: "CONNECTION_ERROR" } })).toBe(0);
  });

  it("keeps a connection DISABLED when a run that was going on when it was disabled fails", async () => {
    await h.database.db.connection.update({ where: { id: connectionId }, data: { health: "HEALTHY", disabledReason: null } });
    const queued = await requestSync(h.engine, connectionId);
    const run = await h.database.db.syncRun.update({ where: { id: queued!.runId }, data: { status: "running", startedAt: new Date(h.now()) } });
    await disableConnection(h.database.db, connectionId);
    const failed = Object.fromEntries(
      run.objects.map((object) => [object, { ...emptyObjectStats(), status: "failed", requests: 1, error: { kind: "transient", message: "HTTP 503" } }]),
    );
    const stats = { requests: 1, rate_limited: 0, retries: 0, pauses: [], objects: failed } as unknown as RunStats;
    expect(await finishRun(h.engine, run, stats, null)).toEqual({ status: "failed" });
    expect(await connection()).toMatchObject({ health: "DISABLED", disabledReason: "disabled_by_user" });
    expect(await h.database.db.event.count({ where: { connectionId, type: "CONNECTION_ERROR" } })).toBe(0);
  });

  it("leaves a run cancelled while it went on (its connection deleted) cancelled: no SYNC_COMPLETED, counted once, and again on a retried end", async () => {
    const deletedId = await h.connect("zendesk", { id: "lifecycle-deleted", size: 20 });
    const queued = await requestSync(h.engine, deletedId);
    const run = await h.database.db.syncRun.update({ where: { id: queued!.runId }, data: { status: "running", startedAt: new Date(h.now()) } });
    await deleteConnection(h.database.db, deletedId);
    const done = Object.fromEntries(run.objects.map((object) => [object, { ...emptyObjectStats(), status: "succeeded", requests: 1 }]));
    const stats = { requests: 1, rate_limited: 0, retries: 0, pauses: [], objects: done } as unknown as RunStats;
    expect(await finishRun(h.engine, run, stats, null)).toEqual({ status: "cancelled" });
    expect(await h.database.db.syncRun.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({ status: "cancelled" });
    expect(await h.database.db.event.count({ where: { syncRunId: run.id, type: "SYNC_COMPLETED" } })).toBe(0);

    // A run that did end: its end written twice (a step retried after its commit) emits and counts once.
    await h.database.db.connection.update({ where: { id: connectionId }, data: { health: "HEALTHY", disabledReason: null } });
    const other = await requestSync(h.engine, connectionId);
    const running = await h.database.db.syncRun.update({ where: { id: other!.runId }, data: { status: "running", startedAt: new Date(h.now()) } });
    const ok = Object.fromEntries(running.objects.map((object) => [object, { ...emptyObjectStats(), status: "succeeded", requests: 1 }]));
    const okStats = { requests: 1, rate_limited: 0, retries: 0, pauses: [], objects: ok } as unknown as RunStats;
    expect(await finishRun(h.engine, running, okStats, null)).toEqual({ status: "succeeded" });
    expect(await finishRun(h.engine, running, okStats, null)).toEqual({ status: "succeeded" });
    expect(await h.database.db.event.count({ where: { syncRunId: running.id, type: "SYNC_COMPLETED" } })).toBe(1);
  });

  it("leaves a run cancelled while a request waited cancelled when the platform then answers 429: no pause, no SYNC_RATE_LIMITED", async () => {
    await h.database.db.connection.update({ where: { id: connectionId }, data: { health: "HEALTHY", disabledReason: null } });
    const queued = await requestSync(h.engine, connectionId);
    const run = await h.database.db.syncRun.update({ where: { id: queued!.runId }, data: { status: "running", startedAt: new Date(h.now()) } });
    await h.database.db.syncRun.update({ where: { id: run.id }, data: { status: "cancelled", finishedAt: new Date(h.now()) } });
    const stats = { requests: 1, rate_limited: 1, retries: 0, pauses: [], objects: {} } as unknown as RunStats;
    const limited = { kind: "rate_limited", message: "429 Too Many Requests", retryAfterMs: 60_000, limit: "rate" } as const;
    expect(await pauseRun(h.engine, run, stats, run.objects[0], limited)).toEqual({ status: "cancelled" });
    expect(await h.database.db.syncRun.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({ status: "cancelled", resumeAt: null });
    expect(await h.database.db.event.count({ where: { syncRunId: run.id, type: "SYNC_RATE_LIMITED" } })).toBe(0);
    // And a run that ended before it started does not start.
    expect(await executeRun(h.engine, run.id)).toEqual({ status: "cancelled" });
    expect(await h.database.db.syncRun.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({ status: "cancelled", attempt: run.attempt });
  });
});
