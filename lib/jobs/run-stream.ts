// A sync job run's writes and its stream of events to its one webhook endpoint (DESIGN.md section 4).
//
// Crash safety: each event is written with the run's new position in one statement (the event and its
// delivery, lib/webhooks/addressed-events.ts, ride on the run's fenced update), so a run resumed after
// its worker died continues from the last saved position: it finishes delivering the page that was in
// flight (same event id, so receivers dedupe on webhook-id) and never sends an acknowledged page again.
// Writes are fenced by the worker's lease on the run and by its status (sql/save-job-run.ts), so a
// stopped run, or one another worker took over, stops at its next write.
//
// Back-pressure: the delivery is born leased to the run, which attempts it at once and goes on only
// when the endpoint acknowledged it; otherwise the run waits for the endpoint's retry schedule.
import { Prisma } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/db/ids";
import { claimOne, FREE_LEASE } from "@/lib/queue/lease";
import type { SyncEngine } from "@/lib/sync/engine";
import { addressedEventSql } from "@/lib/webhooks/addressed-events";
import { attemptDelivery, attemptLoadedDeliveries, type AttemptResult, type LoadedDelivery } from "@/lib/webhooks/deliver";
import { syncJobRunStream } from "@/lib/webhooks/streams";
import { SYNC_JOB_RUN } from "@/lib/lifecycles";
import {
  JobLeaseLostError,
  JobRunEnded,
  type EndedJobRunStatus,
  type JobEventType,
  type JobRunResult,
  type JobRunRow,
  type JobRunState,
  type ResourceProgress,
} from "./run-state";
import { saveJobRunSql, type JobRunFields } from "./sql/save-job-run";

type EndpointRow = Pick<
  LoadedDelivery,
  "url" | "enabled" | "secretEncrypted" | "previousSecretEncrypted" | "previousSecretExpiresAt" | "retrySchedule" | "timeoutMs" | "failingSince"
>;
const ENDPOINT_FIELDS = {
  url: true,
  enabled: true,
  secretEncrypted: true,
  previousSecretEncrypted: true,
  previousSecretExpiresAt: true,
  retrySchedule: true,
  timeoutMs: true,
  failingSince: true,
} as const;

/** How a run fails: SYNC_JOB_RUN_FAILED's `error` and the run's. */
export interface JobRunError {
  code: string;
  message: string;
  resource?: string;
}

export class JobRunStream {
  /** The endpoint, read again every few seconds (a rotated secret, a disabled endpoint) rather than per page. */
  private endpointCache: { row: EndpointRow | null; at: number } | null = null;
  /** The event just written, as an attempt needs it, so its body is not read back from the database. */
  private written: LoadedDelivery | null = null;
  /** A delivery is this run's while one attempt can last: the endpoint's timeout plus a margin. */
  private deliveryLeaseMs = 20_000;
  /** Why the run cannot start sending (no endpoint, or a disabled one); null when it can. */
  unavailable: string | null = null;

  private constructor(
    private readonly engine: SyncEngine,
    private readonly run: JobRunRow,
    readonly state: JobRunState,
    readonly progress: Record<string, ResourceProgress>,
  ) {}

  static async open(engine: SyncEngine, run: JobRunRow, state: JobRunState, progress: Record<string, ResourceProgress>): Promise<JobRunStream> {
    const stream = new JobRunStream(engine, run, state, progress);
    const endpoint = await stream.endpoint();
    stream.deliveryLeaseMs = (endpoint?.timeoutMs ?? 15_000) + 5_000;
    stream.unavailable = !endpoint ? "The run has no webhook endpoint" : endpoint.enabled ? null : "The webhook endpoint is disabled";
    return stream;
  }

  /** Saves the position and progress (and `fields`); throws JobRunEnded or JobLeaseLostError when the run is no longer ours. */
  async save(fields: JobRunFields): Promise<void> {
    if ((await this.engine.db.$executeRaw(this.saveSql(fields))) !== 1) await this.notWritten();
  }

  /** One event to the run's endpoint, written with the run's new position; returns its delivery's id. */
  async emit(type: JobEventType, data: Record<string, unknown>, fields: JobRunFields = {}): Promise<string> {
    const { run, state } = this;
    if (!run.webhookEndpointId) throw new Error(`Sync job run ${run.id} has no webhook endpoint`);
    state.sequence++;
    const eventId = newId("evt");
    const deliveryId = newId("dlv");
    state.pending = { deliveryId, eventType: type };
    const payload = { sync_job_run_id: run.id, sync_job_id: run.syncJobId, connection_id: run.connectionId, sequence: state.sequence, ...data };
    const createdAt = new Date();
    const stream = syncJobRunStream(run.id);
    const written = await this.engine.db.$queryRaw<{ sequence: number }[]>(
      addressedEventSql({
        event: {
          id: eventId,
          createdAt,
          organizationId: run.organizationId,
          environment: run.environment,
          connectionId: run.connectionId,
          type,
          data: payload,
        },
        endpointId: run.webhookEndpointId,
        deliveryId,
        stream,
        lease: { owner: this.leaseOwner, ms: this.deliveryLeaseMs },
        onlyWith: Prisma.sql`${this.saveSql({ status: "running", ...fields })} returning id`,
      }),
    );
    if (written.length !== 1) await this.notWritten();
    const target = await this.endpoint();
    this.written = target
      ? {
          ...target,
          deliveryId,
          organizationId: run.organizationId,
          environment: run.environment,
          status: "pending",
          attemptCount: 0,
          endpointId: run.webhookEndpointId,
          stream,
          sequence: written[0].sequence,
          deliveryFailingSince: null,
          eventId,
          eventType: type,
          eventCreatedAt: createdAt,
          eventData: payload,
        }
      : null;
    return deliveryId;
  }

  /**
   * Waits for the pending delivery: attempts it at once when it was just written (it is ours), or
   * when it is due and free; otherwise says when to look again. Acknowledged: the run goes on.
   */
  async settle(fresh: boolean): Promise<"acked" | JobRunResult> {
    const { db } = this.engine;
    const { state } = this;
    const pending = state.pending;
    if (!pending) return "acked";
    const acked = (): "acked" => {
      state.pending = null;
      return "acked";
    };
    if (fresh && (await this.attemptWritten(pending.deliveryId)) === "succeeded") return acked();
    for (let round = 0; ; round++) {
      const [row] = await db.$queryRaw<
        { status: string; next_attempt_at: Date | null; lease_expires_at: Date | null; enabled: boolean; last_status: number | null; attempt_count: number }[]
      >`
        select d.status::text as status, d.next_attempt_at, d.lease_expires_at, e.enabled, d.attempt_count,
               (select a.status_code from delivery_attempts a where a.delivery_id = d.id order by a.number desc limit 1) as last_status
        from deliveries d join webhook_endpoints e on e.id = d.endpoint_id where d.id = ${pending.deliveryId}`;
      if (!row) return this.fail({ code: "receiver_failed", message: "The run's webhook delivery no longer exists" }, false);
      if (row.status === "succeeded") return acked();
      if (pending.eventType === "SYNC_JOB_RUN_STARTED" && row.last_status === 400) {
        await db.delivery.update({
          where: { id: pending.deliveryId },
          data: { status: "cancelled", nextAttemptAt: null, ...FREE_LEASE },
        });
        state.pending = null;
        await this.save({
          status: "cancelled",
          finished: true,
          error: { code: "cancelled_by_receiver", message: "The webhook endpoint answered 400 to SYNC_JOB_RUN_STARTED" },
        });
        return { status: "cancelled" };
      }
      if (row.status !== "pending" || !row.enabled) {
        const why = !row.enabled
          ? "The webhook endpoint is disabled"
          : `The webhook endpoint did not accept event ${state.sequence} after ${row.attempt_count} attempts`;
        return this.fail({ code: "receiver_failed", message: why }, false);
      }
      const claimed =
        round === 0 &&
        (await claimOne(db, "deliveries", pending.deliveryId, {
          owner: this.leaseOwner,
          leaseMs: this.deliveryLeaseMs,
          due: Prisma.sql`d.status = 'pending' and d.next_attempt_at <= now()`,
        }));
      if (!claimed) {
        const wait = Math.max(
          row.next_attempt_at?.getTime() ?? 0,
          row.lease_expires_at && row.lease_expires_at.getTime() > Date.now() ? row.lease_expires_at.getTime() : 0,
          Date.now() + 200,
        );
        const resumeAt = new Date(wait);
        await this.save({ resumeAt });
        return { status: "waiting", resumeAt };
      }
      if ((await attemptDelivery(db, pending.deliveryId)) === "succeeded") return acked();
    }
  }

  /** Sends an event and waits for it: the run goes on ("acked") or this call ends with the result. */
  async send(type: JobEventType, data: Record<string, unknown>, fields: JobRunFields = {}): Promise<"acked" | JobRunResult> {
    await this.emit(type, data, fields);
    return this.settle(true);
  }

  /** The walk is done: SYNC_JOB_RUN_COMPLETED with the progress, written with the run's end, and one attempt at it. */
  async complete(): Promise<JobRunResult> {
    const deliveryId = await this.emit(SYNC_JOB_RUN.emits.succeeded, { progress: this.progress }, { status: "succeeded", finished: true, error: null });
    await this.attemptWritten(deliveryId).catch(() => undefined);
    return { status: "succeeded" };
  }

  /** The run fails: SYNC_JOB_RUN_FAILED written with its end (unless the endpoint is what failed), and one attempt at it. */
  async fail(error: JobRunError, notify = true): Promise<JobRunResult> {
    for (const key of Object.keys(this.progress)) if (this.progress[key].status === "running") this.progress[key].status = "failed";
    if (notify && this.run.webhookEndpointId) {
      const deliveryId = await this.emit(SYNC_JOB_RUN.emits.failed, { error }, { status: "failed", finished: true, error });
      await this.attemptWritten(deliveryId).catch(() => undefined);
    } else {
      await this.save({ status: "failed", finished: true, error });
    }
    return { status: "failed" };
  }

  private get leaseOwner(): string {
    return `job:${this.run.id}`;
  }

  private saveSql(fields: JobRunFields): Prisma.Sql {
    return saveJobRunSql(
      { id: this.run.id, state: this.state, progress: this.progress, leaseOwner: this.engine.leaseOwner, now: new Date(this.engine.clock()) },
      fields,
    );
  }

  /** Nothing was written: the run ended meanwhile (cancelled), or another worker holds it now. */
  private async notWritten(): Promise<never> {
    const current = await this.engine.db.syncJobRun.findUnique({ where: { id: this.run.id }, select: { status: true } });
    if (current && !SYNC_JOB_RUN.isActive(current.status)) throw new JobRunEnded({ status: current.status as EndedJobRunStatus });
    throw new JobLeaseLostError(this.run.id);
  }

  /** One attempt at a delivery this run just wrote, from what it wrote (the event is not read back). */
  private async attemptWritten(deliveryId: string): Promise<AttemptResult | undefined> {
    const loaded = this.written?.deliveryId === deliveryId ? this.written : null;
    return loaded ? (await attemptLoadedDeliveries(this.engine.db, [loaded])).get(deliveryId) : attemptDelivery(this.engine.db, deliveryId);
  }

  private async endpoint(): Promise<EndpointRow | null> {
    if (this.endpointCache && Date.now() - this.endpointCache.at < 5_000) return this.endpointCache.row;
    const row = this.run.webhookEndpointId
      ? await this.engine.db.webhookEndpoint.findUnique({ where: { id: this.run.webhookEndpointId }, select: ENDPOINT_FIELDS })
      : null;
    this.endpointCache = { row, at: Date.now() };
    return row;
  }
}
