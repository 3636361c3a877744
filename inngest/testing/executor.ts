// A small Inngest for tests: it plays the Inngest dev server's part towards Tributary's served
// /api/inngest route, over real HTTP, following inngest-js 4.24.0's side of the protocol (see
// ./protocol.ts). The SDK registers with it, sends events to its Event API, and is called by it run
// after run, step after step, with each step's result fed back — the calls Inngest's executor makes.
// Not modelled: throttle, rate limits, debounce, batching, cancellation, priority, waitForEvent,
// invoke, trigger expressions, and the API a large run state is fetched from (use_api).
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { serveRoute, type AppServer, type RouteHandler } from "./app-server";
import {
  SCHEDULED_TIMER_EVENT,
  headers as protocolHeaders,
  type AsyncCheckpointBody,
  type InngestEvent,
  type OutgoingOp,
  type RegisteredFunction,
  type RegistrationBody,
} from "./protocol";
import { driveRun, wait, type ExecutorRun, type OnStep } from "./run";
import { ConcurrencySlots } from "./slots";

export type { InngestEvent, OutgoingOp, RegisteredFunction } from "./protocol";
export type { ExecutorRun, RunOp, RunStatus, StepCall } from "./run";

export interface ExecutorOptions {
  /**
   * Decides, per call that runs a step, whether the executor waits for its answer ("normal") or gives
   * up after stepTimeoutMs ("timeout") and calls the step again as its next attempt while the first
   * call may still run — what Inngest does when a call outlives its timeout. When set, every step is
   * planned before it runs (the executor sends disable_immediate_execution, the SDK answers
   * StepPlanned, the executor calls `stepId=<hashed id>`), so the step is known before its call.
   */
  onStep?: OnStep;
  /**
   * Send what Inngest sends and the SDK checkpoints on (ctx.fn_id, ctx.qi_id): steps run one after
   * another in one call and are reported to /v1/checkpoint/<run id>/async. Default false: one step
   * per call, each reported in the call's answer. onStep turns it off (planned steps never checkpoint).
   */
  checkpointing?: boolean;
  /** How long a "timeout" call is waited for (default 200 ms). */
  stepTimeoutMs?: number;
  /** Wait before the n-th retry when the SDK named no retry-after (default 10 ms × n). */
  retryBackoffMs?: (retry: number) => number;
  /**
   * What a concurrency slot is held by: "calls" (Inngest: a step being executed; a sleeping or
   * retrying run holds none) or "runs" (from a run's first call to its end). Default "calls".
   */
  concurrencyHolds?: "calls" | "runs";
  /** Loads the served route; runs after the SDK's environment is set (default: app/api/inngest/route). */
  loadRoute?: () => Promise<Partial<Record<"GET" | "POST" | "PUT", unknown>>>;
  /**
   * The route served by another process at this URL (app.child.ts, which a test can kill and
   * restart), started with INNGEST_DEV=1 and INNGEST_BASE_URL=`url`: nothing is loaded or served here.
   */
  appUrl?: string;
  log?: (line: string) => void;
}

export interface Executor {
  /** Where the SDK finds this Inngest (INNGEST_BASE_URL). */
  url: string;
  /** The app's served endpoint. */
  appUrl: string;
  /** PUT /api/inngest: resolves with the functions the SDK registered, as it sent them. */
  register(): Promise<RegisteredFunction[]>;
  /** The Event API: records the events and starts the runs they trigger; returns their internal ids. */
  send(events: InngestEvent | InngestEvent[]): Promise<string[]>;
  /** Starts a run of a cron-triggered function, as its schedule would. */
  invokeCron(fnId: string): ExecutorRun;
  /** Waits until every run has ended and no abandoned call is still running; rejects after timeoutMs (default 60 s). */
  drain(options?: { timeoutMs?: number }): Promise<ExecutorRun[]>;
  runs: ExecutorRun[];
  /** Every event received, in order; `deduplicated` when its id was seen in the last 24 hours. */
  events: (InngestEvent & { internalId: string; deduplicated: boolean })[];
  /** Requests to this Inngest that it does not serve (method and path), to spot protocol drift. */
  unhandled: string[];
  /** Stops serving; runs still going fail at their next call ("The executor was closed…"). */
  close(): Promise<void>;
}

const DEDUPLICATION_WINDOW_MS = 24 * 60 * 60_000;

/**
 * Starts the executor and serves the route. serve() fixes the registration URL when the route is
 * first imported, so nothing may import app/api/inngest/route before this (importing functions or
 * the client is fine), and Tributary's route serves one executor per test file (vitest gives each
 * file its own modules). A loadRoute that calls serve() itself can start one executor after another.
 */
export async function startExecutor(options: ExecutorOptions = {}): Promise<Executor> {
  const log = options.log ?? (() => {});
  const stepTimeoutMs = options.stepTimeoutMs ?? 200;
  const backoff = options.retryBackoffMs ?? ((retry: number) => 10 * retry);
  const slots = new ConcurrencySlots();
  const functions = new Map<string, RegisteredFunction>();
  let registrations = 0;
  const runs: ExecutorRun[] = [];
  const events: Executor["events"] = [];
  const seenEventIds = new Map<string, number>();
  const unhandled: string[] = [];
  const pending = new Set<Promise<unknown>>();
  const checkpoints = new Map<string, (ops: OutgoingOp[]) => void>();
  let closed = false;
  const track = (promise: Promise<unknown>) => {
    pending.add(promise);
    void promise.finally(() => pending.delete(promise));
  };

  const server = createServer((req, res) => void serveInngest(req, res));
  async function serveInngest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = new URL(req.url ?? "/", "http://inngest").pathname;
    const reply = (status: number, body: unknown): void => {
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    };
    try {
      if (req.method === "POST" && path === "/fn/register") {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as RegistrationBody;
        functions.clear();
        for (const fn of body.functions) functions.set(fn.id.slice(body.appName.length + 1), fn);
        registrations++;
        return reply(200, { ok: true, modified: true });
      }
      if (req.method === "POST" && /^\/v1\/checkpoint\/[^/]+\/async$/.test(path)) {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as AsyncCheckpointBody;
        const deliver = checkpoints.get(body.qi_id);
        if (!deliver) return reply(404, { error: `No call with queue item ${body.qi_id}` });
        deliver(body.steps);
        return reply(200, {});
      }
      if (req.method === "POST" && /^\/e\/[^/]+$/.test(path)) {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as InngestEvent | InngestEvent[];
        const seed = req.headers[protocolHeaders.eventIdSeed];
        return reply(200, { ids: ingest([body].flat(), typeof seed === "string" ? seed : undefined), status: 200 });
      }
    } catch (error) {
      return reply(400, { error: error instanceof Error ? error.message : String(error), status: 400 });
    }
    unhandled.push(`${req.method} ${path}`);
    reply(404, { error: `The test executor does not serve ${req.method} ${path}`, status: 404 });
  }
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const saved = { INNGEST_DEV: process.env.INNGEST_DEV, INNGEST_BASE_URL: process.env.INNGEST_BASE_URL };
  process.env.INNGEST_DEV = "1";
  process.env.INNGEST_BASE_URL = url;
  let app: AppServer;
  try {
    if (options.appUrl) app = { url: options.appUrl, port: Number(new URL(options.appUrl).port), close: async () => {} };
    else {
      const route = await (options.loadRoute ?? loadTributaryRoute)();
      app = await serveRoute(route as Partial<Record<"GET" | "POST" | "PUT", RouteHandler>>);
    }
  } catch (error) {
    server.close();
    throw error;
  }

  /**
   * The Event API. An event whose id was seen in the last 24 hours is recorded but starts nothing. The
   * SDK seeds the internal ids of a send (x-inngest-event-id-seed) so that a send it retries after a
   * lost answer is recognised: those events start nothing either.
   */
  function ingest(received: InngestEvent[], seed?: string): string[] {
    return received.map((raw, index) => {
      const event: InngestEvent = { ...raw, data: raw.data ?? {}, ts: raw.ts ?? Date.now() };
      const internalId = seed ? `${seed}:${index}` : randomUUID();
      const resent = seed !== undefined && events.some((e) => e.internalId === internalId);
      const seenAt = event.id === undefined ? undefined : seenEventIds.get(event.id);
      const deduplicated = resent || (seenAt !== undefined && Date.now() - seenAt < DEDUPLICATION_WINDOW_MS);
      events.push({ ...event, internalId, deduplicated });
      if (deduplicated) return internalId;
      if (event.id !== undefined) seenEventIds.set(event.id, Date.now());
      for (const [fnId, fn] of functions) {
        const trigger = fn.triggers.find((t) => "event" in t && t.event === event.name);
        if (!trigger) continue;
        if ("expression" in trigger && trigger.expression) throw new Error(`${fnId}: the test executor does not evaluate trigger expressions`);
        startRun(fnId, event);
      }
      return internalId;
    });
  }

  function startRun(fnId: string, event: InngestEvent): ExecutorRun {
    const run: ExecutorRun = { id: randomUUID(), fnId, event, status: "running", ops: [], attempts: {}, completedSteps: [], steps: {}, stack: [] };
    runs.push(run);
    log(`run ${run.id} of ${fnId} started by ${event.name}`);
    track(
      driveRun(run, {
        fn: functions.get(fnId)!,
        slots,
        concurrencyHolds: options.concurrencyHolds ?? "calls",
        onStep: options.onStep,
        checkpointing: options.checkpointing ?? false,
        checkpoints,
        stepTimeoutMs,
        backoff,
        track,
        closed: () => closed,
        log,
      }).catch((error: unknown) => {
        // Only a bug here gets this far: the run's calls and answers are handled in driveRun().
        run.status = "failed";
        run.error = error instanceof Error ? { name: error.name, message: error.message } : error;
      }),
    );
    return run;
  }

  return {
    url,
    appUrl: app.url,
    runs,
    events,
    unhandled,
    async register() {
      const before = registrations;
      const response = await fetch(app.url, { method: "PUT" });
      const body = await response.text();
      if (registrations === before)
        throw new Error(
          `PUT ${app.url} answered ${response.status} ${body} without registering here: was the route imported before startExecutor set INNGEST_BASE_URL?`,
        );
      if (!response.ok) throw new Error(`PUT ${app.url} answered ${response.status}: ${body}`);
      return [...functions.values()];
    },
    async send(sent) {
      if (functions.size === 0) throw new Error("register() before sending events: no functions are registered");
      return ingest([sent].flat());
    },
    invokeCron(fnId) {
      const fn = functions.get(fnId);
      const trigger = fn?.triggers.find((t) => "cron" in t);
      if (!fn || !trigger || !("cron" in trigger)) throw new Error(`${fnId} is not a registered cron function`);
      const event: InngestEvent = { name: SCHEDULED_TIMER_EVENT, data: { cron: trigger.cron }, id: randomUUID(), ts: Date.now() };
      events.push({ ...event, internalId: randomUUID(), deduplicated: false });
      return startRun(fnId, event);
    },
    async drain({ timeoutMs = 60_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      while (pending.size > 0) {
        const timedOut = await Promise.race([Promise.allSettled([...pending]).then(() => false), wait(deadline).then(() => true)]);
        if (timedOut && pending.size > 0) {
          const open = runs.filter((r) => r.status === "running").map((r) => `${r.fnId} ${r.id} (last op: ${r.ops.at(-1)?.op ?? "none"})`);
          throw new Error(`drain: not idle after ${timeoutMs} ms; running: ${open.join(", ") || "none (abandoned calls still running)"}`);
        }
      }
      return runs;
    },
    async close() {
      closed = true;
      await app.close();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    },
  };
}

/**
 * Tributary's route, its client told the SDK's environment first: the client copies process.env when
 * it is created (a test file importing a function creates it early), and serve() reads the
 * registration URL from the client when the route is first imported.
 */
export async function loadTributaryRoute(): Promise<Partial<Record<"GET" | "POST" | "PUT", unknown>>> {
  const { inngest } = await import("@/inngest/client");
  inngest.setEnvVars();
  return import("@/app/api/inngest/route");
}
