// The embedded worker (DESIGN.md section 8): what drives syncs when no Inngest is configured. Every
// `pollMs` it claims due connections (claims.ts) up to its concurrency, and for each runs the same
// lib/sync calls Inngest's functions run — syncDue: plan, execute, repeat while work is due — while
// renewing the connection's lease. Every page and run outcome is fenced by that lease, so a worker
// that stalls past it cannot race the worker that took over. A minute-ly monitor fails stuck runs.
// It also fans new events out to webhook deliveries and sends the due ones (lib/webhooks), starts
// the sync job runs cron triggers ask for, and drives due sync job runs under a lease of their own
// (lib/jobs): a run pauses by returning (waiting for its receiver, rate limited) and is claimed again
// when its resume time comes.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { syncDue } from "@/lib/sync/drive";
import type { SyncEngine } from "@/lib/sync/engine";
import { LeaseLostError } from "@/lib/sync/lease";
import { failStuckRuns } from "@/lib/sync/stuck";
import { claimDueDeliveries } from "@/lib/webhooks/claims";
import { attemptDeliveries } from "@/lib/webhooks/deliver";
import { fanOutEvents } from "@/lib/webhooks/fanout";
import { claimDueJobRuns, releaseJobLease, renewJobLease } from "@/lib/jobs/claims";
import { JobLeaseLostError } from "@/lib/jobs/run-state";
import { executeJobRun } from "@/lib/jobs/runner";
import { startDueTriggers } from "@/lib/jobs/triggers";
import { claimDueConnections, releaseLease, renewLease } from "./claims";

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
  const tasks = new Map<string, Promise<void>>();
  let stopping = false;
  let ticking = false;

  /**
   * Works on one leased thing (a connection, a sync job run), renewing its lease every third of it;
   * `work` is told to yield when the worker stops or the lease is lost. Always releases the lease.
   */
  async function holdingLease(input: {
    id: string;
    what: string;
    renew: (db: typeof engine.db, id: string, owner: string, leaseMs: number) => Promise<boolean>;
    release: (db: typeof engine.db, id: string, owner: string) => Promise<void>;
    leaseLost: (error: unknown) => boolean;
    work: (shouldYield: () => boolean) => Promise<unknown>;
  }): Promise<void> {
    let lost = false;
    const renewal = setInterval(() => {
      input
        .renew(engine.db, input.id, owner, leaseMs)
        .then((held) => (lost ||= !held))
        .catch((error: unknown) => log(`worker: renewing the lease on ${input.id} failed: ${error instanceof Error ? error.message : String(error)}`));
    }, leaseMs / 3);
    try {
      // Stop after the current page when shutting down or when the lease is gone.
      await input.work(() => stopping || lost);
    } catch (error) {
      if (!input.leaseLost(error)) log(`worker: ${input.what} ${input.id} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    } finally {
      clearInterval(renewal);
      await input.release(engine.db, input.id, owner).catch(() => undefined);
    }
  }

  async function run(connectionId: string): Promise<void> {
    options.onTask?.({ connectionId, owner, phase: "start" });
    await holdingLease({
      id: connectionId,
      what: "syncing",
      renew: renewLease,
      // The task ends before its lease is released, as it always did.
      release: async (db, id, holder) => {
        options.onTask?.({ connectionId, owner, phase: "end" });
        await releaseLease(db, id, holder);
      },
      leaseLost: (error) => error instanceof LeaseLostError,
      work: (shouldYield) => syncDue(leased, connectionId, { shouldYield }),
    });
  }

  async function tick(): Promise<void> {
    if (stopping || ticking || tasks.size >= concurrency) return;
    ticking = true;
    try {
      const claimed = await claimDueConnections(engine.db, { owner, now: new Date(engine.clock()), limit: concurrency - tasks.size, leaseMs });
      for (const id of claimed) {
        const task = run(id).finally(() => tasks.delete(id));
        tasks.set(id, task);
      }
    } finally {
      ticking = false;
    }
  }

  // Sync job runs: cron triggers first (they queue runs), then due runs up to the job concurrency.
  const jobConcurrency = options.jobConcurrency ?? 2;
  const jobTasks = new Map<string, Promise<void>>();
  let jobTicking = false;
  const driveJob = (runId: string) =>
    holdingLease({
      id: runId,
      what: "sync job run",
      renew: renewJobLease,
      release: releaseJobLease,
      leaseLost: (error) => error instanceof JobLeaseLostError,
      work: (shouldYield) => executeJobRun(leased, runId, { shouldYield }),
    });

  async function jobTick(): Promise<void> {
    if (stopping || jobTicking) return;
    jobTicking = true;
    try {
      for (const tick of await startDueTriggers(engine.db)) {
        if (tick.skipped) log(`worker: cron trigger ${tick.triggerId} skipped a run: ${tick.skipped}`);
      }
      const claimed = await claimDueJobRuns(engine.db, { owner, limit: jobConcurrency - jobTasks.size, leaseMs });
      for (const id of claimed) {
        const task = driveJob(id).finally(() => jobTasks.delete(id));
        jobTasks.set(id, task);
      }
    } finally {
      jobTicking = false;
    }
  }

  // Webhooks: fan new events out to deliveries, then send the due ones in batches (one query to load
  // a batch, its requests at once, one statement for its successes). Several batches are in flight, so
  // a slow receiver holds up one batch, not the pump; the pump runs on its own poll and again as each
  // batch ends, so a backlog drains at the receivers' pace.
  const batchSize = options.deliveryConcurrency ?? 32;
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
        while (!stopping && (await fanOutEvents(engine.db, { limit: 1000 })).events > 0);
        while (!stopping && sending.size < maxBatches) {
          const claimed = await claimDueDeliveries(engine.db, { owner, limit: batchSize, leaseMs: options.deliveryLeaseMs ?? 120_000 });
          if (claimed.length === 0) break;
          const batch: Promise<unknown> = attemptDeliveries(engine.db, claimed)
            .catch((error: unknown) => log(`worker: deliveries ${claimed.join(", ")} failed: ${error instanceof Error ? error.message : String(error)}`))
            .finally(() => {
              sending.delete(batch);
              kick();
            });
          sending.add(batch);
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

  const poller = setInterval(() => {
    tick().catch((error: unknown) => log(`worker: claiming work failed: ${error instanceof Error ? error.message : String(error)}`));
    jobTick().catch((error: unknown) => log(`worker: claiming sync job runs failed: ${error instanceof Error ? error.message : String(error)}`));
  }, pollMs);
  const monitor = setInterval(() => {
    // The monitor fails runs as nobody's lease holder.
    failStuckRuns({ ...engine, leaseOwner: null })
      .then((failed) => failed.length && log(`worker: failed ${failed.length} stuck run(s): ${failed.join(", ")}`))
      .catch(() => undefined);
  }, options.stuckCheckMs ?? 60_000);
  void tick().catch(() => undefined);

  return {
    owner,
    active: () => [...tasks.keys()],
    activeJobRuns: () => [...jobTasks.keys()],
    async stop() {
      stopping = true;
      clearInterval(poller);
      clearInterval(deliveryPoller);
      clearInterval(monitor);
      await Promise.allSettled([...tasks.values(), ...jobTasks.values(), ...sending]);
    },
  };
}
