// Times: started_at and finished_at are on the engine's clock (previous_run_date compares them with
// the platform's update times); resume_at is wall-clock time, like the deliveries it waits for.
//
// Executing a sync job run (DESIGN.md section 4). The run walks its resources depth first: a page of
// a parent resource, then for each record of that page each child resource in full (one request per
// parent record), then the parent's next page. Every fetched page becomes one SYNC_JOB_RUN_RECORD
// event addressed to the run's webhook endpoint, and the run waits for the endpoint's 2xx before it
// fetches anything else (back-pressure): a slow receiver slows the run, a failing one is retried on
// the endpoint's schedule while the run waits.
//
// Crash safety: the walk's position (a stack of frames: resource, ancestor records, cursor, position
// in the page) is saved in the same transaction that writes a page's event and its delivery. A run
// resumed after its worker died continues from the last saved position: it finishes delivering the
// page that was in flight (same event id, so receivers dedupe on webhook-id) and never sends an
// acknowledged page again. Writes are fenced by the worker's lease on the run and by its status, so
// a stopped run, or one another worker took over, stops at its next page.
import { Prisma } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/db/ids";
import { getConnector } from "@/lib/platforms";
import { ConnectorError, type ConnectorContext, type Credentials, type ListPage, type ListRequest } from "@/lib/platforms/types";
import type { SyncEngine } from "@/lib/sync/engine";
import { freshCredentials } from "@/lib/sync/credentials";
import { retryAfterMs } from "@/lib/platforms/http";
import { attemptDelivery, attemptLoadedDeliveries, type LoadedDelivery } from "@/lib/webhooks/deliver";
import type { JOB_EVENTS } from "@/lib/events/catalog";
import { executionOrder, type JobResourceDefinition } from "./definition";
import { findJobResource } from "./resources";
import { parsePlaceholders, resolveValue, type PlaceholderScope } from "./placeholders";
import { storedJob } from "./store";

export type JobEventType = (typeof JOB_EVENTS)[number];

/** Truto's names for the same events, for users who move over (README). */
export const TRUTO_EVENT_NAMES: Record<JobEventType, string> = {
  SYNC_JOB_RUN_STARTED: "sync_job_run:started",
  SYNC_JOB_RUN_RECORD: "sync_job_run:record",
  SYNC_JOB_RUN_RECORD_ERROR: "sync_job_run:record_error",
  SYNC_JOB_RUN_RATE_LIMITED: "sync_job_run:rate_limited",
  SYNC_JOB_RUN_COMPLETED: "sync_job_run:completed",
  SYNC_JOB_RUN_FAILED: "sync_job_run:failed",
};

/** Records per page asked of the platform: keeps each webhook body well under the 256 KB limit. */
export const JOB_PAGE_SIZE = 100;
const ACTIVE = ["created", "running", "rate_limited"] as const;

interface Frame {
  /** Index into the job's resources; -1 is the base frame whose children are the root resources. */
  resource: number;
  /** The current record of each ancestor, reduced to the fields placeholders use, by resource name. */
  records: Record<string, Record<string, unknown>>;
  /** loop_on: the array looped on and the element being fetched; null without loop_on. */
  loop: { values: unknown[]; index: number } | null;
  loopError?: string;
  cursor: string | null;
  page: { rows: Record<string, unknown>[]; next: string | null; row: number; child: number } | null;
}

export interface ResourceProgress {
  requests: number;
  pages: number;
  records: number;
  errors: number;
  /** Requests not made: a parent record lacked the field a placeholder needs. */
  skipped: number;
  status: "pending" | "running" | "completed" | "failed";
}

export interface JobRunState {
  stack: Frame[];
  /** The delivery the run waits for before it goes on. */
  pending: { deliveryId: string; eventType: JobEventType } | null;
  /** Events sent so far: each event's `sequence`. */
  sequence: number;
  previousRunDate: string | null;
  /** The definition the run started with: editing the job changes later runs, never one in progress. */
  job: { name: string; errorHandling: "ignore" | "fail_fast"; resources: JobResourceDefinition[] };
}

export type JobRunResult =
  | { status: "completed" | "failed" | "stopped" }
  | { status: "waiting" | "rate_limited"; resumeAt: Date }
  | { status: "yielded" };

export interface ExecuteJobOptions {
  /** Asked between steps: true ends this call after saving the position (`yielded`). */
  shouldYield?: () => boolean;
}

export class JobLeaseLostError extends Error {
  constructor(runId: string) {
    super(`The lease on sync job run ${runId} was lost`);
    this.name = "JobLeaseLostError";
  }
}

class RunEnded extends Error {
  constructor(readonly result: JobRunResult) {
    super("run ended");
  }
}

interface RunRow {
  id: string;
  organizationId: string;
  environment: "sandbox" | "production";
  syncJobId: string;
  connectionId: string;
  webhookEndpointId: string | null;
  args: Record<string, unknown>;
  ignorePreviousRun: boolean;
  status: string;
  progress: Record<string, ResourceProgress>;
  state: Partial<JobRunState>;
  startedAt: Date | null;
}

/** Runs (or resumes) one sync job run until it ends, pauses or yields. */
export async function executeJobRun(engine: SyncEngine, runId: string, options: ExecuteJobOptions = {}): Promise<JobRunResult> {
  const { db } = engine;
  const run = (await db.syncJobRun.findUniqueOrThrow({ where: { id: runId } })) as unknown as RunRow;
  if (!(ACTIVE as readonly string[]).includes(run.status)) return { status: run.status as "completed" | "failed" | "stopped" };
  const job = run.state.job ?? (await storedJob(db, run.syncJobId));
  const connection = await db.connection.findUniqueOrThrow({ where: { id: run.connectionId } });
  const resources = job.resources;
  const order = executionOrder(resources);
  const owner = engine.leaseOwner;
  const now = () => new Date(engine.clock());

  const progress: Record<string, ResourceProgress> = { ...run.progress };
  for (const resource of resources) progress[resource.resource] ??= { requests: 0, pages: 0, records: 0, errors: 0, skipped: 0, status: "pending" };
  let state: JobRunState;

  type RunFields = { status?: string; error?: unknown; finished?: boolean; resumeAt?: Date | null; started?: boolean };
  // The fenced write of the run: only while the run is active and (under the embedded worker) ours.
  const runUpdate = (fields: RunFields) => Prisma.sql`
    update sync_job_runs set
      state = ${JSON.stringify(state)}::jsonb,
      progress = ${JSON.stringify(progress)}::jsonb,
      status = coalesce(${fields.status ?? null}::"SyncJobRunStatus", status),
      error = case when ${fields.error !== undefined} then ${fields.error == null ? null : JSON.stringify(fields.error)}::jsonb else error end,
      resume_at = ${fields.resumeAt ?? null},
      started_at = case when ${fields.started ?? false} then coalesce(started_at, ${now()}) else started_at end,
      finished_at = case when ${fields.finished ?? false} then ${now()} else finished_at end,
      updated_at = now()
    where id = ${runId} and status in ('created', 'running', 'rate_limited')
      and (${owner}::text is null or (lease_owner = ${owner} and lease_expires_at > now()))`;
  /** Nothing was written: the run ended meanwhile (stopped), or another worker holds it now. */
  async function notWritten(): Promise<never> {
    const current = await db.syncJobRun.findUnique({ where: { id: runId }, select: { status: true } });
    if (current && !(ACTIVE as readonly string[]).includes(current.status)) throw new RunEnded({ status: current.status as "completed" | "failed" | "stopped" });
    throw new JobLeaseLostError(runId);
  }
  async function saveRun(fields: RunFields): Promise<void> {
    if ((await db.$executeRaw(runUpdate(fields))) !== 1) await notWritten();
  }

  // The endpoint, read again every few seconds (a rotated secret, a disabled endpoint) rather than per page.
  type EndpointRow = Pick<LoadedDelivery, "url" | "enabled" | "secretEncrypted" | "previousSecretEncrypted" | "previousSecretExpiresAt" | "retrySchedule" | "timeoutMs" | "failingSince">;
  let endpointCache: { row: EndpointRow | null; at: number } | null = null;
  async function endpoint(): Promise<EndpointRow | null> {
    if (endpointCache && Date.now() - endpointCache.at < 5_000) return endpointCache.row;
    const row = run.webhookEndpointId
      ? await db.webhookEndpoint.findUnique({
          where: { id: run.webhookEndpointId },
          select: { url: true, enabled: true, secretEncrypted: true, previousSecretEncrypted: true, previousSecretExpiresAt: true, retrySchedule: true, timeoutMs: true, failingSince: true },
        })
      : null;
    endpointCache = { row, at: Date.now() };
    return row;
  }
  const endpointRow = await endpoint();
  // A delivery is this run's while one attempt can last: the endpoint's timeout plus a margin.
  const deliveryLeaseMs = (endpointRow?.timeoutMs ?? 15_000) + 5_000;
  /** The event just written, as an attempt needs it, so its body is not read back from the database. */
  let written: LoadedDelivery | null = null;
  const base = { sync_job_run_id: run.id, sync_job_id: run.syncJobId, connection_id: run.connectionId };

  // One event to the run's endpoint, written with the run's new position in one statement (so in one
  // transaction); its delivery starts leased to this run, so the delivery pump leaves the first
  // attempt to us. The event is born fanned out: it goes to this endpoint only.
  async function emit(type: JobEventType, data: Record<string, unknown>, fields: RunFields = {}): Promise<string> {
    if (!run.webhookEndpointId) throw new Error(`Sync job run ${run.id} has no webhook endpoint`);
    state.sequence++;
    const eventId = newId("evt");
    const deliveryId = newId("dlv");
    state.pending = { deliveryId, eventType: type };
    const payload = { ...base, sequence: state.sequence, ...data };
    const createdAt = new Date();
    const count = await db.$executeRaw`
      with run as (${runUpdate({ status: "running", ...fields })} returning id),
      event as (
        insert into events (id, organization_id, environment, connection_id, type, data, created_at, fanned_out_at)
        select ${eventId}, ${run.organizationId}, ${run.environment}::"EnvironmentKind", ${run.connectionId}, ${type}, ${JSON.stringify(payload)}::jsonb, ${createdAt}, now() from run
        returning id
      )
      insert into deliveries (id, organization_id, environment, endpoint_id, event_id, next_attempt_at, lease_owner, lease_expires_at, updated_at)
      select ${deliveryId}, ${run.organizationId}, ${run.environment}::"EnvironmentKind", ${run.webhookEndpointId}, event.id, now(),
             ${`job:${run.id}`}, now() + make_interval(secs => ${deliveryLeaseMs / 1000}::double precision), now()
      from event`;
    if (count !== 1) await notWritten();
    const target = await endpoint();
    written = target
      ? { ...target, deliveryId, organizationId: run.organizationId, environment: run.environment, status: "pending", attemptCount: 0, endpointId: run.webhookEndpointId, eventId, eventType: type, eventCreatedAt: createdAt, eventData: payload }
      : null;
    return deliveryId;
  }

  /** One attempt at a delivery this run just wrote, from what it wrote (the event is not read back). */
  async function attemptWritten(deliveryId: string) {
    const loaded = written?.deliveryId === deliveryId ? written : null;
    return loaded ? (await attemptLoadedDeliveries(db, [loaded])).get(deliveryId) : attemptDelivery(db, deliveryId);
  }

  /**
   * Waits for the pending delivery: attempts it at once when it was just written (it is ours), or
   * when it is due and free; otherwise says when to look again. Acknowledged: the run goes on.
   */
  async function settlePending(fresh: boolean): Promise<"acked" | JobRunResult> {
    const pending = state.pending;
    if (!pending) return "acked";
    const acked = (): "acked" => {
      state.pending = null;
      return "acked";
    };
    if (fresh && (await attemptWritten(pending.deliveryId)) === "succeeded") return acked();
    for (let round = 0; ; round++) {
      const [row] = await db.$queryRaw<{ status: string; next_attempt_at: Date | null; lease_expires_at: Date | null; enabled: boolean; last_status: number | null; attempt_count: number }[]>`
        select d.status::text as status, d.next_attempt_at, d.lease_expires_at, e.enabled, d.attempt_count,
               (select a.status_code from delivery_attempts a where a.delivery_id = d.id order by a.number desc limit 1) as last_status
        from deliveries d join webhook_endpoints e on e.id = d.endpoint_id where d.id = ${pending.deliveryId}`;
      if (!row) return fail({ code: "receiver_failed", message: "The run's webhook delivery no longer exists" }, false);
      if (row.status === "succeeded") return acked();
      if (pending.eventType === "SYNC_JOB_RUN_STARTED" && row.last_status === 400) {
        await db.delivery.update({ where: { id: pending.deliveryId }, data: { status: "cancelled", nextAttemptAt: null, leaseOwner: null, leaseExpiresAt: null } });
        state.pending = null;
        await saveRun({ status: "stopped", finished: true, error: { code: "cancelled_by_receiver", message: "The webhook endpoint answered 400 to SYNC_JOB_RUN_STARTED" } });
        return { status: "stopped" };
      }
      if (row.status !== "pending" || !row.enabled) {
        const why = !row.enabled ? "The webhook endpoint is disabled" : `The webhook endpoint did not accept event ${state.sequence} after ${row.attempt_count} attempts`;
        return fail({ code: "receiver_failed", message: why }, false);
      }
      const claimed =
        round === 0 &&
        (await db.$executeRaw`
          update deliveries set lease_owner = ${`job:${run.id}`}, lease_expires_at = now() + make_interval(secs => ${deliveryLeaseMs / 1000}::double precision)
          where id = ${pending.deliveryId} and status = 'pending' and next_attempt_at <= now()
            and (lease_expires_at is null or lease_expires_at < now())`) === 1;
      if (!claimed) {
        const wait = Math.max(row.next_attempt_at?.getTime() ?? 0, row.lease_expires_at && row.lease_expires_at.getTime() > Date.now() ? row.lease_expires_at.getTime() : 0, Date.now() + 200);
        const resumeAt = new Date(wait);
        await saveRun({ resumeAt });
        return { status: "waiting", resumeAt };
      }
      if ((await attemptDelivery(db, pending.deliveryId)) === "succeeded") return acked();
    }
  }

  async function fail(error: { code: string; message: string; resource?: string }, notify = true): Promise<JobRunResult> {
    for (const key of Object.keys(progress)) if (progress[key].status === "running") progress[key].status = "failed";
    if (notify && run.webhookEndpointId) {
      const deliveryId = await emit("SYNC_JOB_RUN_FAILED", { error }, { status: "failed", finished: true, error });
      await attemptWritten(deliveryId).catch(() => undefined);
    } else {
      await saveRun({ status: "failed", finished: true, error });
    }
    return { status: "failed" };
  }

  try {
    // ── Start: the position, the previous run's date, SYNC_JOB_RUN_STARTED ──
    if (!run.state.stack) {
      const previous = run.ignorePreviousRun
        ? null
        : await db.syncJobRun.findFirst({
            where: { syncJobId: run.syncJobId, connectionId: run.connectionId, status: "completed", id: { not: run.id } },
            orderBy: { startedAt: "desc" },
            select: { startedAt: true },
          });
      state = {
        stack: [{ resource: -1, records: {}, loop: null, cursor: null, page: { rows: [{}], next: null, row: 0, child: 0 } }],
        pending: null,
        sequence: 0,
        previousRunDate: previous?.startedAt?.toISOString() ?? null,
        job: { name: job.name, errorHandling: job.errorHandling, resources: job.resources },
      };
      if (!endpointRow?.enabled) {
        return await fail({ code: "endpoint_unavailable", message: endpointRow ? "The webhook endpoint is disabled" : "The run has no webhook endpoint" }, false);
      }
      await emit(
        "SYNC_JOB_RUN_STARTED",
        { sync_job_name: job.name, args: run.args, ignore_previous_run: run.ignorePreviousRun, previous_run_date: state.previousRunDate, resources: resources.map((r) => r.resource) },
        { started: true },
      );
      const settled = await settlePending(true);
      if (settled !== "acked") return settled;
    } else {
      state = run.state as JobRunState;
      await saveRun({ status: "running", started: true });
      const settled = await settlePending(false);
      if (settled !== "acked") return settled;
    }

    // ── The platform side: credentials, the limiter, counted requests ──
    if (connection.deletedAt || !connection.platformAccountId) return await fail({ code: "connection_unavailable", message: "The connection was deleted" });
    const connector = getConnector(connection.platform);
    const endpoints = connector.endpoints(connection.platformAccountId, connection.environment === "sandbox" ? engine.sandboxUrl : null);
    let counting: ResourceProgress | null = null;
    const limitedFetch: typeof fetch = async (input, init) => {
      await engine.limiter.acquire(connector.key, connector.rateLimit, connection.id);
      if (counting) counting.requests++;
      const response = await engine.fetch(input, init);
      if (response.status === 429) engine.limiter.block(connection.id, retryAfterMs(response.headers.get("retry-after")));
      return response;
    };
    const credentialContext = { db, connector, tokenUrl: endpoints.tokenUrl, fetch: engine.fetch, now: engine.clock };
    let credentials: Credentials | null = null;

    async function fetchPage(definition: JobResourceDefinition, request: ListRequest): Promise<ListPage> {
      let retries = 0;
      let refreshed = false;
      for (;;) {
        try {
          credentials ??= await freshCredentials(credentialContext, connection.id);
          const context: ConnectorContext = { baseUrl: endpoints.apiBaseUrl, credentials, fetch: limitedFetch, timeoutMs: engine.options.requestTimeoutMs };
          counting = progress[definition.resource];
          return await connector.list(context, request);
        } catch (error) {
          if (error instanceof ConnectorError && error.kind === "auth_revoked" && !refreshed) {
            refreshed = true;
            credentials = await freshCredentials(credentialContext, connection.id, { force: true }).catch(() => null);
            if (credentials) continue;
          }
          if (error instanceof ConnectorError && error.kind === "transient" && retries < engine.options.maxTransientRetries) {
            const delay = engine.options.retryBaseMs * 2 ** retries * (0.5 + Math.random());
            retries++;
            await new Promise((resolve) => setTimeout(resolve, delay));
            continue;
          }
          throw error;
        } finally {
          counting = null;
        }
      }
    }

    const scopeOf = (frame: Frame): PlaceholderScope => ({ args: run.args, previousRunDate: state.previousRunDate, records: frame.records });
    // Fields of each resource that its descendants' placeholders read: what a frame keeps of a record.
    const referenced = new Map<string, Set<string>>();
    for (const resource of resources) {
      const values = [...Object.values(resource.query), resource.loop_on ?? ""].filter((v): v is string => typeof v === "string");
      for (const value of values) {
        for (const placeholder of parsePlaceholders(value)) {
          if (placeholder.kind !== "resource") continue;
          const fields = referenced.get(placeholder.resource) ?? new Set<string>();
          fields.add(placeholder.field.split(".")[0]);
          referenced.set(placeholder.resource, fields);
        }
      }
    }
    const reduce = (resource: string, data: Record<string, unknown>) => Object.fromEntries([...(referenced.get(resource) ?? [])].map((field) => [field, data[field] ?? null]));

    function newFrame(index: number, records: Record<string, Record<string, unknown>>): Frame {
      const definition = resources[index];
      const frame: Frame = { resource: index, records, loop: null, cursor: null, page: null };
      if (definition.loop_on !== undefined) {
        const raw = parsePlaceholders(definition.loop_on)[0].raw;
        const resolved = resolveValue(definition.loop_on, { args: run.args, previousRunDate: state.previousRunDate, records });
        if (Array.isArray(resolved.value)) frame.loop = { values: resolved.value, index: 0 };
        else if (resolved.value === undefined) frame.loop = { values: [], index: 0 };
        else frame.loopError = `loop_on ${raw} is ${typeof resolved.value}, not an array`;
      }
      progress[definition.resource].status = "running";
      return frame;
    }

    /** The platform request for a frame, or null when a parent record lacks a value a placeholder needs. */
    function requestFor(frame: Frame): { request: ListRequest; query: Record<string, unknown> } | null {
      const definition = resources[frame.resource];
      const spec = findJobResource(definition.resource)!;
      const scope = scopeOf(frame);
      if (frame.loop && definition.loop_on !== undefined) scope.loop = { raw: parsePlaceholders(definition.loop_on)[0].raw, value: frame.loop.values[frame.loop.index] };
      const request: ListRequest = { object: spec.object, cursor: frame.cursor, pageSize: JOB_PAGE_SIZE };
      const query: Record<string, unknown> = {};
      for (const [name, raw] of Object.entries(definition.query)) {
        const resolved = resolveValue(raw, scope);
        if (resolved.missing) {
          if (resolved.missing.kind === "resource") return null;
          continue; // an optional argument not given, or no previous run: the parameter is left out
        }
        query[name] = resolved.value;
        const parameter = spec.query.find((q) => q.name === name)!;
        if (parameter.format === "date-time") {
          const date = new Date(String(resolved.value));
          if (Number.isNaN(date.getTime())) throw new ConnectorError("permanent", `query.${name}: "${String(resolved.value)}" is not a date-time`);
          if (parameter.kind === "updated_at_min") request.updatedSince = date;
          else request.window = { start: parameter.kind === "created_at_min" ? date : (request.window?.start ?? null), end: parameter.kind === "created_at_max" ? date : (request.window?.end ?? null) };
        } else {
          request.filters = { ...request.filters, [name]: typeof resolved.value === "object" ? JSON.stringify(resolved.value) : String(resolved.value) };
        }
      }
      return { request, query };
    }

    const parentOf = (frame: Frame) => {
      const definition = resources[frame.resource];
      if (!definition.depends_on) return null;
      const record = frame.records[definition.depends_on];
      return { resource: definition.depends_on, id: record?.id ?? null };
    };

    /** A frame's current element (or the frame) is done: the next loop element, or pop. */
    function advance(frame: Frame): void {
      frame.page = null;
      frame.cursor = null;
      if (frame.loop && frame.loop.index + 1 < frame.loop.values.length) {
        frame.loop.index++;
        return;
      }
      state.stack.pop();
      // A root popped: it and its descendants are complete.
      if (state.stack.length === 1) {
        const done = [frame.resource];
        for (let i = 0; i < done.length; i++) done.push(...(order.children.get(done[i]) ?? []));
        for (const i of done) progress[resources[i].resource].status = "completed";
      }
    }

    // ── The walk ──
    // At least one platform request per call, so a caller that yields at once still makes progress.
    let fetched = 0;
    for (;;) {
      if (fetched > 0 && options.shouldYield?.()) {
        await saveRun({});
        return { status: "yielded" };
      }
      const frame = state.stack[state.stack.length - 1];
      if (frame.resource === -1) {
        const page = frame.page!;
        if (page.child < order.roots.length) {
          state.stack.push(newFrame(order.roots[page.child++], {}));
          continue;
        }
        const deliveryId = await emit("SYNC_JOB_RUN_COMPLETED", { progress }, { status: "completed", finished: true, error: null });
        await attemptWritten(deliveryId).catch(() => undefined);
        return { status: "completed" };
      }
      const definition = resources[frame.resource];

      if (frame.page === null) {
        if (frame.loop && frame.loop.values.length === 0) {
          state.stack.pop();
          frame.loop = null;
          if (state.stack.length === 1) progress[definition.resource].status = "completed";
          continue;
        }
        let target: ReturnType<typeof requestFor>;
        let page: ListPage;
        try {
          if (frame.loopError) throw new ConnectorError("permanent", frame.loopError);
          target = requestFor(frame);
          if (target === null) {
            progress[definition.resource].skipped++;
            advance(frame);
            continue;
          }
          fetched++;
          page = await fetchPage(definition, target.request);
        } catch (error) {
          if (error instanceof JobLeaseLostError || error instanceof RunEnded) throw error;
          const kind = error instanceof ConnectorError ? error.kind : "internal";
          const message = error instanceof Error ? error.message : String(error);
          if (kind === "rate_limited") {
            const wait = (error as ConnectorError).options.retryAfterMs ?? 1000;
            const resumeAt = new Date(Date.now() + wait);
            await emit("SYNC_JOB_RUN_RATE_LIMITED", { resource: definition.resource, retry_after_ms: wait, resume_at: resumeAt.toISOString() }, { status: "rate_limited", resumeAt });
            const settled = await settlePending(true);
            if (settled !== "acked") return settled;
            await saveRun({ status: "rate_limited", resumeAt });
            return { status: "rate_limited", resumeAt };
          }
          progress[definition.resource].errors++;
          const detail = { resource: definition.resource, method: definition.method, parent: parentOf(frame), error: { kind, message } };
          // Revoked credentials or a closed account end every request alike: the run fails whatever its error handling.
          if (job.errorHandling === "fail_fast" || kind === "auth_revoked" || kind === "account_closed") {
            return await fail({ code: kind === "auth_revoked" || kind === "account_closed" ? kind : "fetch_failed", message, resource: definition.resource });
          }
          advance(frame);
          await emit("SYNC_JOB_RUN_RECORD_ERROR", detail);
          const settled = await settlePending(true);
          if (settled !== "acked") return settled;
          continue;
        }
        const stats = progress[definition.resource];
        stats.pages++;
        stats.records += page.records.length;
        const hasChildren = (order.children.get(frame.resource) ?? []).length > 0;
        frame.page = { rows: hasChildren ? page.records.map((r) => reduce(definition.resource, r.data)) : [], next: page.nextCursor, row: 0, child: 0 };
        if (page.records.length > 0) {
          await emit("SYNC_JOB_RUN_RECORD", {
            resource: definition.resource,
            method: definition.method,
            query: target.query,
            parent: parentOf(frame),
            page: stats.pages,
            records: page.records.map((record) => record.data),
          });
          const settled = await settlePending(true);
          if (settled !== "acked") return settled;
        }
        continue;
      }

      const children = order.children.get(frame.resource) ?? [];
      const page = frame.page;
      if (children.length && page.row < page.rows.length) {
        if (page.child < children.length) {
          const records = { ...frame.records, [definition.resource]: page.rows[page.row] };
          state.stack.push(newFrame(children[page.child++], records));
        } else {
          page.row++;
          page.child = 0;
        }
        continue;
      }
      if (page.next) {
        frame.cursor = page.next;
        frame.page = null;
        continue;
      }
      advance(frame);
    }
  } catch (error) {
    if (error instanceof RunEnded) return error.result;
    throw error;
  }
}

/** Drives a run until it ends, waiting out pauses in-process (tests, the dashboard's demo). */
export async function driveJobRun(engine: SyncEngine, runId: string, options: { maxWaitMs?: number } = {}): Promise<JobRunResult> {
  const deadline = Date.now() + (options.maxWaitMs ?? 120_000);
  for (;;) {
    const result = await executeJobRun(engine, runId);
    if (result.status !== "waiting" && result.status !== "rate_limited" && result.status !== "yielded") return result;
    if (Date.now() > deadline) return result;
    if (result.status !== "yielded") await new Promise((resolve) => setTimeout(resolve, Math.max(0, result.resumeAt.getTime() - Date.now())));
  }
}

