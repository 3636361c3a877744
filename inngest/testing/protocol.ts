// The Inngest executor ↔ SDK protocol as inngest-js 4.24.0 speaks it (node_modules/inngest:
// components/InngestCommHandler.js, components/execution/engine.js, helpers/functions.js,
// helpers/consts.js, helpers/strings.js, types.js, api/schema.js). Only what the test executor needs.

/** What the SDK POSTs to `<api base>/fn/register` for each function (InngestFunction.getConfig). */
export interface RegisteredFunction {
  /** `<app id>-<function id>`, e.g. "tributary-connection-sync". */
  id: string;
  name?: string;
  triggers: ({ event: string; expression?: string } | { cron: string; jitter?: string })[];
  steps: Record<string, { id: string; name: string; runtime: { type: string; url: string }; retries?: { attempts: number } }>;
  concurrency?: number | ConcurrencyOption | ConcurrencyOption[];
  throttle?: { key?: string; limit: number; period: string; burst?: number };
  [option: string]: unknown;
}

export interface ConcurrencyOption {
  limit: number;
  key?: string;
  scope?: "fn" | "env" | "account";
}

/** The registration request body (InngestCommHandler.registerBody). */
export interface RegistrationBody {
  url: string;
  appName: string;
  sdk: string;
  functions: RegisteredFunction[];
}

/** Op codes the SDK answers with (types.js StepOpCode). */
export type OpCode =
  | "StepRun"
  | "StepError"
  | "StepFailed"
  | "StepPlanned"
  | "Sleep"
  | "RunComplete"
  | "WaitForEvent"
  | "WaitForSignal"
  | "InvokeFunction"
  | "AIGateway"
  | "Gateway"
  | "StepNotFound"
  | "DiscoveryRequest"
  | "DeferAdd"
  | "DeferAbort";

/** One op of a 206 answer: `id` is the hashed step id, the key its result goes back under in `steps`. */
export interface OutgoingOp {
  id: string;
  op: OpCode;
  /** The step's id as written (StepRun, StepPlanned), "sendEvent", or a Sleep's duration/time. */
  name?: string;
  displayName?: string;
  data?: unknown;
  error?: unknown;
  opts?: Record<string, unknown>;
  userland?: { id: string; index?: number };
}

/** What the SDK POSTs to /v1/checkpoint/<run id>/async (api/api.js checkpointStepsAsync). */
export interface AsyncCheckpointBody {
  run_id: string;
  fn_id: string;
  qi_id: string;
  steps: OutgoingOp[];
}

/** A step's stored result, as the executor sends it back in `steps` (api/schema.js stepSchema). */
export type StepResult = { data: unknown } | { error: unknown };

/** The body of every call to run a function (helpers/functions.js parseFnData). */
export interface CallBody {
  event: InngestEvent;
  events: InngestEvent[];
  steps: Record<string, StepResult>;
  ctx: {
    run_id: string;
    attempt: number;
    max_attempts: number;
    /** True: the SDK plans the step it reaches (StepPlanned) instead of running it in the same call. */
    disable_immediate_execution: boolean;
    use_api: false;
    /**
     * The function's internal id and the call's queue item: Inngest always sends both, and with them
     * (and immediate execution allowed) the SDK checkpoints: it runs step after step in one call and
     * POSTs each result to `<api base>/v1/checkpoint/<run id>/async`, answering only at a sleep, an
     * error, the end, or after its 10 s budget (a DiscoveryRequest op: call again).
     */
    fn_id?: string;
    qi_id?: string;
    stack: { stack: string[]; current: number };
  };
  /** -1: the SDK chooses; after its first answer, the version it named in x-inngest-req-version. */
  version: number;
}

export interface InngestEvent {
  name: string;
  data: Record<string, unknown>;
  id?: string;
  ts?: number;
  v?: string;
  user?: Record<string, unknown>;
}

export const headers = {
  noRetry: "x-inngest-no-retry",
  retryAfter: "retry-after",
  requestVersion: "x-inngest-req-version",
  serverKind: "x-inngest-server-kind",
  /** On Event API calls: the SDK's seed for the events' internal ids, the same when it retries a send. */
  eventIdSeed: "x-inngest-event-id-seed",
} as const;

/** The event a cron trigger starts a run with (helpers/consts.js internalEvents.ScheduledTimer). */
export const SCHEDULED_TIMER_EVENT = "inngest/scheduled.timer";

/** Inngest's retries when a function sets none (helpers/consts.js defaultMaxRetries). */
export const DEFAULT_RETRIES = 3;

const UNIT_MS: Record<string, number> = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 };

/**
 * When a Sleep op ends: step.sleep sends a duration as helpers/strings.js timeStr writes it
 * ("1w2d3h4m5s", at least 1s), step.sleepUntil an ISO time.
 */
export function sleepUntil(name: string, now: number): number {
  const duration = /^(?:\d+[wdhms])*$/.test(name) ? [...name.matchAll(/(\d+)([wdhms])/g)].reduce((ms, [, n, unit]) => ms + Number(n) * UNIT_MS[unit], 0) : null;
  if (duration !== null) return now + duration;
  const time = Date.parse(name);
  if (Number.isNaN(time)) throw new Error(`Sleep op with a name that is neither a duration nor a time: ${JSON.stringify(name)}`);
  return time;
}

/** retry-after as the SDK sets it: whole seconds (RetryAfterError with a duration) or an ISO time (with a Date). */
export function retryAfter(value: string | null, now: number): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value)) return now + Number(value) * 1000;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : time;
}

/** The function's concurrency limits, each with the key value an event maps to (dotted paths only). */
export function concurrencyLimits(fn: RegisteredFunction): { limit: number; key: (event: InngestEvent) => string; expression: string }[] {
  const options = fn.concurrency === undefined ? [] : typeof fn.concurrency === "number" ? [{ limit: fn.concurrency }] : [fn.concurrency].flat();
  return options
    .filter((option) => option.limit > 0)
    .map((option) => ({ limit: option.limit, expression: option.key ?? "", key: option.key ? keyOf(option.key) : () => "" }));
}

function keyOf(expression: string): (event: InngestEvent) => string {
  if (!/^event(\.\w+)+$/.test(expression))
    throw new Error(`The test executor evaluates concurrency keys that are dotted paths into the event, not ${JSON.stringify(expression)}`);
  const path = expression.split(".").slice(1);
  return (event) => JSON.stringify(path.reduce<unknown>((value, part) => (value as Record<string, unknown> | undefined)?.[part], event) ?? null);
}
