// One run as Inngest's executor drives it: a call to the served function (`stepId=step` to discover,
// `stepId=<hashed id>` for a planned step), its answer read by op code, each step's result stored and
// fed back in `steps` on the next call, sleeps waited out, failed calls retried with the function's
// retries (a step error, or an error answer, is retried as the next attempt of the same call).
import { randomUUID } from "node:crypto";
import type { ConcurrencySlots } from "./slots";
import {
  DEFAULT_RETRIES,
  concurrencyLimits,
  headers as protocolHeaders,
  retryAfter,
  sleepUntil,
  type CallBody,
  type InngestEvent,
  type OpCode,
  type OutgoingOp,
  type RegisteredFunction,
  type StepResult,
} from "./protocol";

/** A run's status: "running" until its function returns (completed) or fails for good (failed). */
export type RunStatus = "running" | "completed" | "failed";

/** One thing the executor saw happen in a run, in order. */
export interface RunOp {
  /** The op the SDK answered with; "FunctionError" for an error answer (non-2xx), "TimedOut" when the executor gave up waiting. */
  op: OpCode | "FunctionError" | "TimedOut";
  /** The step's id as written in the function (step.run("plan-0", …) → "plan-0"). */
  step?: string;
  /** The step's hashed id: the key of its result in `steps`. */
  hashedId?: string;
  /** The attempt of the call that answered (0 for the first). */
  attempt: number;
  at: number;
  /** Sleep: when it ends. StepError, FunctionError: the retry-after the SDK named, if any. */
  until?: number;
  data?: unknown;
  error?: unknown;
  /** The answer to a call the executor had given up on (onStep → "timeout"): recorded, not used. */
  abandoned?: boolean;
  /** Reported by the SDK through the checkpoint API while its call ran, not in the call's answer. */
  checkpointed?: boolean;
}

export interface ExecutorRun {
  id: string;
  /** The function's id without the app's prefix ("connection-sync"). */
  fnId: string;
  event: InngestEvent;
  status: RunStatus;
  output?: unknown;
  error?: unknown;
  ops: RunOp[];
  /** Calls that ran each step (ids as written), abandoned ones included. */
  attempts: Record<string, number>;
  /** Steps (ids as written) whose result was stored, in order: `completedSteps.length` counts them. */
  completedSteps: string[];
  /** What the executor feeds back: each step's result by hashed id, and their order. */
  steps: Record<string, StepResult>;
  stack: string[];
}

/** A step about to be called, as onStep sees it. */
export interface StepCall {
  step: string;
  hashedId: string;
  attempt: number;
}

/** Decides whether the executor waits for a step's call ("normal") or gives up on it ("timeout"). */
export type OnStep = (run: ExecutorRun, call: StepCall) => "normal" | "timeout";

/** What a run's driver is given by the executor. */
export interface RunContext {
  fn: RegisteredFunction;
  slots: ConcurrencySlots;
  concurrencyHolds: "calls" | "runs";
  onStep?: OnStep;
  /** Sends fn_id and qi_id as Inngest does, so that the SDK checkpoints (see CallBody). */
  checkpointing: boolean;
  /** Where checkpoints of a call (by its qi_id) are delivered while it may still report them. */
  checkpoints: Map<string, (ops: OutgoingOp[]) => void>;
  stepTimeoutMs: number;
  backoff: (retry: number) => number;
  /** Keeps a promise (a call given up on) among what drain() waits for. */
  track(promise: Promise<unknown>): void;
  closed(): boolean;
  log(line: string): void;
}

class RunFailed extends Error {}

/** The run, call after call, until it completes or fails (what Inngest's executor does per run). */
export async function driveRun(run: ExecutorRun, context: RunContext): Promise<void> {
  const { fn, slots, onStep, stepTimeoutMs, backoff, track, log } = context;
  const limits = concurrencyLimits(fn).map((l) => ({ key: `${fn.id}|${l.expression}|${l.key(run.event)}`, limit: l.limit }));
  const holdRun = context.concurrencyHolds === "runs" ? await slots.acquire(limits) : null;
  const callLimits = holdRun ? [] : limits;
  const maxAttempts = (fn.steps.step?.retries?.attempts ?? DEFAULT_RETRIES) + 1;
  let version = -1;
  let attempt = 0;
  let calls = 0;
  const internalFnId = randomUUID();

  /** One call to the served function; null when the executor gave up waiting. */
  async function call(stepId: string, callAttempt: number, giveUpAfterMs?: number): Promise<Answer | null> {
    const target = new URL(fn.steps.step.runtime.url);
    target.searchParams.set("stepId", stepId);
    const body: CallBody = {
      event: run.event,
      events: [run.event],
      steps: { ...run.steps },
      ctx: {
        run_id: run.id,
        attempt: callAttempt,
        max_attempts: maxAttempts,
        disable_immediate_execution: onStep !== undefined,
        use_api: false,
        stack: { stack: [...run.stack], current: run.stack.length },
      },
      version,
    };
    let abandoned = false;
    if (context.checkpointing) {
      const queueItem = `${run.id}:${calls++}`;
      body.ctx.fn_id = internalFnId;
      body.ctx.qi_id = queueItem;
      context.checkpoints.set(queueItem, (ops) => checkpointed(ops, callAttempt, () => abandoned));
    }
    if (context.closed()) throw new RunFailed("The executor was closed before the run ended");
    const release = await slots.acquire(callLimits);
    const answer = post(target, body).then((a) => {
      if (a.version !== null) version = a.version;
      return a;
    });
    if (giveUpAfterMs === undefined) return answer.finally(release);
    const timer = new Promise<null>((resolve) => setTimeout(() => resolve(null), giveUpAfterMs));
    await Promise.race([answer, timer]);
    abandoned = true;
    release();
    // Given up on, even if it answered in time: its answer is recorded as abandoned and not used, and
    // drain() waits for the call to end.
    track(answer.then((late) => record(late, callAttempt, true)));
    return null;
  }

  /** Handles one answer; returns when to call again, or null once the run has ended. */
  async function handle(answer: Answer, callAttempt: number): Promise<{ at: number; attempt: number } | null> {
    if (answer.status === 200) return finish("completed", answer.body);
    if (answer.status !== 206) {
      record(answer, callAttempt, false);
      if (answer.noRetry || callAttempt + 1 >= maxAttempts) return finish("failed", answer.body);
      return { at: answer.retryAt ?? Date.now() + backoff(callAttempt + 1), attempt: callAttempt + 1 };
    }
    const ops = [answer.body].flat() as OutgoingOp[];
    record(answer, callAttempt, false);
    const complete = ops.find((op) => op.op === "RunComplete");
    if (complete) return finish("completed", complete.data);
    const stepError = ops.find((op) => op.op === "StepError");
    if (stepError) {
      if (!answer.noRetry && callAttempt + 1 < maxAttempts) return { at: answer.retryAt ?? Date.now() + backoff(callAttempt + 1), attempt: callAttempt + 1 };
      store(stepError, { error: stepError.error });
    }
    await Promise.all(ops.map((op) => settle(op)));
    return { at: Date.now(), attempt: 0 };
  }

  /** Stores a step's result from its op: now (StepRun, StepFailed), after the sleep, or after running a planned step. */
  async function settle(op: OutgoingOp): Promise<void> {
    switch (op.op) {
      case "StepRun":
        return store(op, { data: op.data ?? null });
      case "StepFailed":
        return store(op, { error: op.error });
      case "StepError":
      case "DiscoveryRequest":
        return;
      case "Sleep":
        await wait(sleepUntil(op.name ?? "", Date.now()));
        return store(op, { data: null });
      case "StepPlanned":
        return runPlanned(op);
      default:
        throw new RunFailed(`The test executor does not handle ${op.op} ops (step ${stepName(op)})`);
    }
  }

  /** A planned step: called by its id until it answers, with its own attempts. */
  async function runPlanned(planned: OutgoingOp): Promise<void> {
    for (let stepAttempt = 0; ;) {
      const decision = onStep?.(run, { step: stepName(planned), hashedId: planned.id, attempt: stepAttempt }) ?? "normal";
      const answer = await call(planned.id, stepAttempt, decision === "timeout" ? stepTimeoutMs : undefined);
      let retryAt: number | null = null;
      if (answer === null) run.ops.push({ op: "TimedOut", step: stepName(planned), hashedId: planned.id, attempt: stepAttempt, at: Date.now() });
      else {
        record(answer, stepAttempt, false);
        const op = answer.status === 206 ? ([answer.body].flat() as OutgoingOp[]).find((o) => o.id === planned.id) : undefined;
        if (op && op.op !== "StepError") return settle(op);
        if (answer.status !== 206 && answer.noRetry) throw new RunFailed("The function failed without retries", { cause: answer.body });
        if (op && answer.noRetry) return store(op, { error: op.error });
        retryAt = answer.retryAt;
      }
      if (++stepAttempt >= maxAttempts) {
        if (answer && answer.status !== 206) throw new RunFailed("The function failed after its retries", { cause: answer.body });
        return store(planned, { error: { name: "Error", message: `Step ${stepName(planned)} failed after ${maxAttempts} attempts` } });
      }
      await wait(retryAt ?? Date.now() + backoff(stepAttempt));
    }
  }

  /**
   * Step results the SDK checkpointed during a call, stored as Inngest stores them: the first result
   * of a step wins, even from a call the executor gave up on (Inngest checks a checkpoint's dispatch
   * only behind a per-account flag, and only when the SDK was given a generation id, never sent here).
   */
  function checkpointed(ops: OutgoingOp[], callAttempt: number, abandoned: () => boolean): void {
    record({ status: 206, body: ops, noRetry: false, retryAt: null, version: null }, callAttempt, abandoned(), true);
    for (const op of ops) if (op.op === "StepRun") store(op, { data: op.data ?? null });
  }

  /** Stores a step's result once: a result already stored (checkpointed, then answered) is kept. */
  function store(op: OutgoingOp, result: StepResult): void {
    if (op.id in run.steps) return;
    run.steps[op.id] = result;
    run.stack.push(op.id);
    run.completedSteps.push(stepName(op));
  }

  function record(answer: Answer, callAttempt: number, abandoned: boolean, checkpoint = false): void {
    const at = Date.now();
    const extra = { ...(abandoned ? { abandoned } : {}), ...(checkpoint ? { checkpointed: true } : {}) };
    if (answer.status !== 206) {
      if (answer.status !== 200)
        run.ops.push({ op: "FunctionError", attempt: callAttempt, at, error: answer.body, until: answer.retryAt ?? undefined, ...extra });
      return;
    }
    for (const op of [answer.body].flat() as OutgoingOp[]) {
      const step = op.op === "RunComplete" ? undefined : stepName(op);
      if (step && ["StepRun", "StepError", "StepFailed"].includes(op.op)) run.attempts[step] = (run.attempts[step] ?? 0) + 1;
      run.ops.push({
        op: op.op,
        step,
        hashedId: op.id,
        attempt: callAttempt,
        at,
        ...(op.op === "Sleep" ? { until: sleepUntil(op.name ?? "", at) } : op.op === "StepError" && answer.retryAt !== null ? { until: answer.retryAt } : {}),
        ...(op.data !== undefined ? { data: op.data } : {}),
        ...(op.error !== undefined ? { error: op.error } : {}),
        ...extra,
      });
    }
  }

  function finish(status: "completed" | "failed", result: unknown): null {
    run.status = status;
    if (status === "completed") run.output = result;
    else run.error = result;
    log(`run ${run.id} of ${run.fnId} ${status}`);
    return null;
  }

  try {
    for (let at = Date.now(); ;) {
      await wait(at);
      const answer = await call("step", attempt);
      const next = await handle(answer!, attempt);
      if (!next) return;
      ({ at, attempt } = next);
    }
  } catch (error) {
    if (!(error instanceof RunFailed)) throw error;
    finish("failed", error.cause ?? { name: "Error", message: error.message });
  } finally {
    holdRun?.();
  }
}

/** A call's answer, its protocol headers read. */
interface Answer {
  status: number;
  body: unknown;
  noRetry: boolean;
  retryAt: number | null;
  version: number | null;
}

async function post(target: URL, body: CallBody): Promise<Answer> {
  try {
    const response = await fetch(target, {
      method: "POST",
      headers: { "content-type": "application/json", [protocolHeaders.serverKind]: "dev" },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON (a proxy's or the server's own error page): kept as text.
    }
    const version = Number(response.headers.get(protocolHeaders.requestVersion));
    return {
      status: response.status,
      body: parsed,
      noRetry: response.headers.get(protocolHeaders.noRetry) === "true",
      retryAt: retryAfter(response.headers.get(protocolHeaders.retryAfter), Date.now()),
      version: response.headers.has(protocolHeaders.requestVersion) && Number.isFinite(version) ? version : null,
    };
  } catch (error) {
    // Inngest treats an unreachable app like a 5xx: retried.
    return {
      status: 599,
      body: { name: "FetchError", message: error instanceof Error ? error.message : String(error) },
      noRetry: false,
      retryAt: null,
      version: null,
    };
  }
}

function stepName(op: OutgoingOp): string {
  return op.userland?.id ?? op.displayName ?? op.name ?? op.id;
}

export function wait(until: number): Promise<void> {
  const ms = until - Date.now();
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
