// The embedded worker (DESIGN.md section 8): what drives syncs when no Inngest is configured, as a
// few pumps over the one lease (lib/queue/lease.ts). Every `pollMs` it claims due connections
// (lib/sync/due.ts) up to its concurrency, and for each runs the same lib/sync calls Inngest's
// functions run — syncDue: plan, execute, repeat while work is due — while renewing the connection's
// lease. Every page and run outcome is fenced by that lease, so a worker that stalls past it cannot
// race the worker that took over. A minute-ly monitor fails stuck runs. It also fans new events out
// to webhook deliveries and sends the due ones (lib/webhooks), starts the sync job runs cron triggers
// ask for, and drives due sync job runs under a lease of their own (lib/jobs): a run pauses by
// returning (waiting for its receiver, rate limited) and is claimed again when its resume time comes;
// and it runs the writes the API answered at once (lib/sync/async-writes.ts), under their own lease.
// It removes deleted connections' data under the connections' lease and prunes what each
// organization's retention no longer keeps (lib/retention).
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { listen } from "@/lib/db/listen";
import { syncDue } from "@/lib/sync/drive";
import type { SyncEngine } from "@/lib/sync/engine";
import { LeaseLostError } from "@/lib/sync/lease";
import { failStuckRuns } from "@/lib/sync/stuck";
import { claimDueDeliveries } from "@/lib/webhooks/claims";
import { attemptLoadedDeliveries } from "@/lib/webhooks/deliver";
import { fanOutEvents } from "@/lib/webhooks/fanout";
import { claimDueJobRuns } from "@/lib/jobs/claims";
import { JobLeaseLostError } from "@/lib/jobs/run-state";
import { executeJobRun } from "@/lib/jobs/runner";
import { startDueTriggers } from "@/lib/jobs/triggers";
import { claimDueConnections } from "@/lib/sync/due";
import { release, renew, type LeasedTable } from "@/lib/queue/lease";
import { claimDueWrites, runQueuedWrite } from "@/lib/sync/async-writes";
import { deleteRequestedEnvironments } from "@/lib/retention/environments";
import { claimDeletedConnections, purgeConnection } from "@/lib/retention/purge";
import { pruneHistory } from "@/lib/retention/prune";

export interface WorkerOptions {
  /** Unique per process; defaults to host, pid and a random suffix. */
  owner?: string;
  /** Connections synced at once. */
  concurrency?: number;
  /** How long a claim lasts without renewal; renewed every third of it. */
  leaseMs?: number;
  pollMs?: number;
  stuckCheckMs?: number;
  log?: (line: string) => void;
  /** Webhook deliveries per batch (up to four batches are in flight). */
  deliveryConcurrency?: number;
  /** How often new events are fanned out and due deliveries looked for (default 200 ms). */
  deliveryPollMs?: number;
  /** How long a claimed delivery stays this worker's (an attempt's timeout is at most 60 s). */
  deliveryLeaseMs?: number;
  /** Sync job runs driven at once. */
  jobConcurrency?: number;
  /** Asynchronous writes run at once. */
  writeConcurrency?: number;
  /** How often retention prunes history (lib/retention/prune.ts; default every 5 minutes, the first a minute after start). */
  retentionEveryMs?: number;
  /** Called when this worker starts and ends work on a connection (tests count overlaps with it). */
  onTask?: (event: { connectionId: string; owner: string; phase: "start" | "end" }) => void;
}

export interface Worker {
  owner: string;
  /** Stops claiming, lets running syncs stop after their current page, releases their leases. */
  stop(): Promise<void>;
  /** Connections being synced now. */
  active(): string[];
  /** Sync job runs being driven now. */
  activeJobRuns(): string[];
}

export function startWorker(engine: SyncEngine, options: WorkerOptions = {}): Worker {
  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const concurrency = options.concurrency ?? 4;
  const leaseMs = options.leaseMs ?? 60_000;
  const pollMs = options.pollMs ?? 1000;
  const log = options.log ?? ((line: string) => console.log(line));
  const leased: SyncEngine = { ...engine, leaseOwner: owner };
  let stopping = false;

  /**
   * A pump over one leased queue (lib/queue/lease.ts): each poll runs `before`, then claims as many
   * due rows as it has free slots and works each one while renewing its lease every third of it.
   * `work` is told to yield when the worker stops or the lease is lost; the lease is always released.
   */
  function leasedPump(input: {
    on: LeasedTable;
    what: string;
    concurrency: number;
    /** Runs on every poll, even when every slot is taken (cron triggers queue runs this way). */
    before?: () => Promise<void>;
    claim: (limit: number) => Promise<string[]>;
    leaseLost: (error: unknown) => boolean;
    work: (id: string, shouldYield: () => boolean) => Promise<unknown>;
    onStart?: (id: string) => void;
    /** Runs just before the lease is released. */
    onEnd?: (id: string) => void;
  }) {
    const tasks = new Map<string, Promise<void>>();
    let ticking = false;

    async function hold(id: string): Promise<void> {
      input.onStart?.(id);
      let lost = false;
      const renewal = setInterval(() => {
        renew(engine.db, input.on, id, owner, leaseMs)
          .then((held) => (lost ||= !held))
          .catch((error: unknown) => log(`worker: renewing the lease on ${id} failed: ${error instanceof Error ? error.message : String(error)}`));
      }, leaseMs / 3);
      try {
        // Stop after the current page when shutting down or when the lease is gone.
        await input.work(id, () => stopping || lost);
      } catch (error) {
        if (!input.leaseLost(error)) log(`worker: ${input.what} ${id} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      } finally {
        clearInterval(renewal);
        input.onEnd?.(id);
        await release(engine.db, input.on, id, owner).catch(() => undefined);
      }
    }

    async function tick(): Promise<void> {
      if (stopping || ticking) return;
      ticking = true;
      try {
        await input.before?.();
        if (stopping || tasks.size >= input.concurrency) return;
        for (const id of await input.claim(input.concurrency - tasks.size)) {
          const task = hold(id).finally(() => tasks.delete(id));
          tasks.set(id, task);
        }
      } finally {
        ticking = false;
      }
    }

    return { tick, tasks };
  }

  // Connections: syncDue plans and runs while work is due, every page fenced by the lease.
  const syncs = leasedPump({
    on: "connections",
    what: "syncing",
    concurrency,
    claim: (limit) => claimDueConnections(engine.db, { owner, now: new Date(engine.clock()), limit, leaseMs }),
    leaseLost: (error) => error instanceof LeaseLostError,
    work: (connectionId, shouldYield) => syncDue(leased, connectionId, { shouldYield }),
    onStart: (connectionId) => options.onTask?.({ connectionId, owner, phase: "start" }),
    // The task ends before its lease is released, as it always did.
    onEnd: (connectionId) => options.onTask?.({ connectionId, owner, phase: "end" }),
  });

  // Sync job runs: cron triggers first (they queue runs), then due runs up to the job concurrency.
  const jobRuns = leasedPump({
    on: "sync_job_runs",
    what: "sync job run",
    concurrency: options.jobConcurrency ?? 2,
    before: async () => {
      for (const tick of await startDueTriggers(engine.db)) {
        if (tick.skipped) log(`worker: cron trigger ${tick.triggerId} skipped a run: ${tick.skipped}`);
      }
    },
    claim: (limit) => claimDueJobRuns(engine.db, { owner, limit, leaseMs }),
    leaseLost: (error) => error instanceof JobLeaseLostError,
    work: (runId, shouldYield) => executeJobRun(leased, runId, { shouldYield }),
  });

  // Writes answered at once (response_mode=async): each runs to its outcome or its next wait.
  const writes = leasedPump({
    on: "writes",
    what: "write",
    concurrency: options.writeConcurrency ?? 4,
    claim: (limit) => claimDueWrites(engine.db, { owner, limit, leaseMs }),
    leaseLost: () => false,
    work: (writeId) => runQueuedWrite(engine, writeId),
  });

  // Deleted connections: their data removed in small statements under the connection's lease (which a
  // deleted connection's sync never takes again), one connection at a time; one not done in a minute
  // is released and claimed again at the next poll, where it stopped.
  const purges = leasedPump({
    on: "connections",
    what: "purging",
    concurrency: 1,
    // An environment whose data a member deleted: its connections are deleted a few at a time first.
    before: async () => void (await deleteRequestedEnvironments(engine.db)),
    claim: (limit) => claimDeletedConnections(engine.db, { owner, limit, leaseMs }),
    leaseLost: () => false,
    work: (connectionId, shouldYield) => purgeConnection(engine.db, connectionId, { shouldYield }),
  });

  // Retention: one pruning run at a time, each up to 30 s of small statements (what is left waits).
  let pruning = false;
  const prune = () => {
    if (pruning || stopping) return;
    pruning = true;
    pruneHistory(engine.db, { shouldYield: () => stopping })
      .then((report) => {
        const removed = Object.entries(report.removed).filter(([, rows]) => rows > 0);
        if (removed.length)
          log(`worker: retention removed ${removed.map(([kind, rows]) => `${rows} ${kind}`).join(", ")}${report.done ? "" : " (more next time)"}`);
      })
      .catch((error: unknown) => log(`worker: retention failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => (pruning = false));
  };
  const retentionEveryMs = options.retentionEveryMs ?? 5 * 60_000;
  const firstPrune = setTimeout(prune, Math.min(60_000, retentionEveryMs));
  const retention = setInterval(prune, retentionEveryMs);

  // Webhooks: fan new events out to deliveries, then send the due ones in batches (claimed and loaded
  // in one statement, a batch's requests at once, one statement for its successes). Several batches are in flight, so
  // a slow receiver holds up one batch, not the pump; the pump runs on its own poll and again as each
  // batch ends, so a backlog drains at the receivers' pace.
  const batchSize = options.deliveryConcurrency ?? 32;
  const FAN_OUT_BATCH = 1000;
  const maxBatches = 4;
  const sending = new Set<Promise<unknown>>();
  let delivering = false;
  let again = false;
  async function deliver(): Promise<void> {
    if (stopping) return;
    if (delivering) {
      again = true;
      return;
    }
    delivering = true;
    try {
      do {
        again = false;
        // A batch under the limit drained the outbox as of its transaction: what commits later wakes the pump again.
        while (!stopping && (await fanOutEvents(engine.db, { limit: FAN_OUT_BATCH })).events === FAN_OUT_BATCH);
        while (!stopping && sending.size < maxBatches) {
          // One claim for every free batch: the claim walks the streams with pending deliveries, which
          // costs about the same for 16 as for 64, and ordered streams make for many small claims.
          const wanted = batchSize * (maxBatches - sending.size);
          const claimed = await claimDueDeliveries(engine.db, { owner, limit: wanted, leaseMs: options.deliveryLeaseMs ?? 120_000 });
          for (let start = 0; start < claimed.length; start += batchSize) {
            const rows = claimed.slice(start, start + batchSize);
            const batch: Promise<unknown> = attemptLoadedDeliveries(engine.db, rows)
              .catch((error: unknown) =>
                log(`worker: deliveries ${rows.map((row) => row.deliveryId).join(", ")} failed: ${error instanceof Error ? error.message : String(error)}`),
              )
              .finally(() => {
                sending.delete(batch);
                kick();
              });
            sending.add(batch);
          }
          // Fewer than asked: nothing else is due now.
          if (claimed.length < wanted) break;
        }
      } while (again && !stopping);
    } finally {
      delivering = false;
    }
  }
  const kick = () => {
    deliver().catch((error: unknown) => log(`worker: webhook deliveries failed: ${error instanceof Error ? error.message : String(error)}`));
  };
  const deliveryPoller = setInterval(kick, options.deliveryPollMs ?? 200);
  // New events wake the sender at once (the outbox's trigger notifies "tributary_events" at commit);
  // the poll stays, for what a notification cannot carry: retries coming due, a listener reconnecting.
  const wake = listen(engine.db, "tributary_events", kick, log);

  const poller = setInterval(() => {
    syncs.tick().catch((error: unknown) => log(`worker: claiming work failed: ${error instanceof Error ? error.message : String(error)}`));
    jobRuns.tick().catch((error: unknown) => log(`worker: claiming sync job runs failed: ${error instanceof Error ? error.message : String(error)}`));
    writes.tick().catch((error: unknown) => log(`worker: claiming writes failed: ${error instanceof Error ? error.message : String(error)}`));
    purges.tick().catch((error: unknown) => log(`worker: claiming deleted connections failed: ${error instanceof Error ? error.message : String(error)}`));
  }, pollMs);
  const monitor = setInterval(() => {
    // The monitor fails runs as nobody's lease holder.
    failStuckRuns({ ...engine, leaseOwner: null })
      .then((failed) => failed.length && log(`worker: failed ${failed.length} stuck run(s): ${failed.join(", ")}`))
      .catch(() => undefined);
  }, options.stuckCheckMs ?? 60_000);
  void syncs.tick().catch(() => undefined);

  return {
    owner,
    active: () => [...syncs.tasks.keys()],
    activeJobRuns: () => [...jobRuns.tasks.keys()],
    async stop() {
      stopping = true;
      clearInterval(poller);
      clearInterval(deliveryPoller);
      clearInterval(monitor);
      clearTimeout(firstPrune);
      clearInterval(retention);
      await wake.stop();
      await Promise.allSettled([...syncs.tasks.values(), ...jobRuns.tasks.values(), ...writes.tasks.values(), ...purges.tasks.values(), ...sending]);
      while (pruning) await new Promise((resolve) => setTimeout(resolve, 10));
    },
  };
}
