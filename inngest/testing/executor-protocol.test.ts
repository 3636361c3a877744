// The test executor's side of the protocol, on a small app of its own served through inngest/next:
// sleeps really waited for, step retries with the SDK's retry-after, final failures, concurrency keys,
// and a step whose call the executor gives up on while it still runs.
import { setTimeout as delay } from "node:timers/promises";
import { Inngest, NonRetriableError, RetryAfterError } from "inngest";
import { serve } from "inngest/next";
import { afterEach, describe, expect, it } from "vitest";
import { startExecutor, type Executor, type ExecutorOptions } from "./executor";

let executor: Executor | undefined;
afterEach(async () => {
  await executor?.close();
  executor = undefined;
});

/** Steps in flight per concurrency key, and the most seen at once. */
const inFlight = { now: new Map<string, number>(), max: new Map<string, number>() };

/** An executor serving a fresh client and functions (created after the executor set the SDK's environment). */
async function start(options: Omit<ExecutorOptions, "loadRoute"> = {}): Promise<Executor> {
  executor = await startExecutor({
    ...options,
    loadRoute: async () => {
      const client = new Inngest({ id: "harness", isDev: true });
      const functions = [
        client.createFunction({ id: "sleeper", triggers: [{ event: "test/sleep" }] }, async ({ step }) => {
          const before = await step.run("before", () => Date.now());
          await step.sleep("nap", "1s");
          await step.sleepUntil("until", new Date(Date.now() + 1000));
          return (await step.run("after", () => Date.now())) - before;
        }),
        client.createFunction({ id: "flaky", triggers: [{ event: "test/flaky" }], retries: 3 }, async ({ step, attempt }) =>
          step.run("flaky-step", () => {
            if (attempt === 0) throw new RetryAfterError("not yet", 1000);
            if (attempt === 1) throw new Error("boom");
            return `ok on attempt ${attempt}`;
          }),
        ),
        client.createFunction({ id: "doomed", triggers: [{ event: "test/doomed" }], retries: 1 }, async ({ step }) => {
          await step.run("always-fails", () => {
            throw new Error("always");
          });
        }),
        client.createFunction({ id: "refused", triggers: [{ event: "test/refused" }], retries: 5 }, async ({ step }) => {
          await step.run("refuses", () => {
            throw new NonRetriableError("never");
          });
        }),
        client.createFunction(
          { id: "limited", triggers: [{ event: "test/limited" }], concurrency: { key: "event.data.key", limit: 1 } },
          async ({ event, step }) => {
            const key = String(event.data.key);
            for (const part of [0, 1])
              await step.run(`work-${part}`, async () => {
                inFlight.now.set(key, (inFlight.now.get(key) ?? 0) + 1);
                inFlight.max.set(key, Math.max(inFlight.max.get(key) ?? 0, inFlight.now.get(key)!));
                await delay(100);
                inFlight.now.set(key, inFlight.now.get(key)! - 1);
              });
          },
        ),
        client.createFunction(
          { id: "slow", triggers: [{ event: "test/slow" }], concurrency: { key: "event.data.key", limit: 1 } },
          async ({ step, attempt }) => {
            const started = await step.run("slow-step", async () => {
              inFlight.now.set("slow", (inFlight.now.get("slow") ?? 0) + 1);
              inFlight.max.set("slow", Math.max(inFlight.max.get("slow") ?? 0, inFlight.now.get("slow")!));
              await delay(300);
              inFlight.now.set("slow", inFlight.now.get("slow")! - 1);
              return attempt;
            });
            await step.sendEvent("announce", { name: "test/slow.done", data: { attempt: started } });
            return started;
          },
        ),
      ];
      return serve({ client, functions });
    },
  });
  await executor.register();
  return executor;
}

describe("the test executor's protocol", () => {
  it("waits out step.sleep and step.sleepUntil, then feeds the sleeps back as done", async () => {
    const inngest = await start();
    await inngest.send({ name: "test/sleep", data: {} });
    await inngest.drain({ timeoutMs: 20_000 });
    const [run] = inngest.runs;
    expect(run.status).toBe("completed");
    expect(run.output).toBeGreaterThanOrEqual(2000);
    expect(run.ops.map((o) => [o.op, o.step])).toEqual([
      ["StepRun", "before"],
      ["Sleep", "nap"],
      ["Sleep", "until"],
      ["StepRun", "after"],
    ]);
    expect(run.ops[1].until! - run.ops[1].at).toBe(1000);
    expect(run.completedSteps).toEqual(["before", "nap", "until", "after"]);
  });

  it("retries a failing step, at the SDK's retry-after when it names one, until it succeeds", async () => {
    const inngest = await start();
    await inngest.send({ name: "test/flaky", data: {} });
    await inngest.drain({ timeoutMs: 20_000 });
    const [run] = inngest.runs;
    expect(run).toMatchObject({ status: "completed", output: "ok on attempt 2", attempts: { "flaky-step": 3 } });
    expect(run.ops.map((o) => [o.op, o.attempt])).toEqual([
      ["StepError", 0],
      ["StepError", 1],
      ["StepRun", 2],
    ]);
    // The SDK's retry-after is 1 s from the answer's arrival, which comes a millisecond or two before the op is recorded (`at`).
    expect(run.ops[0].until).toBeGreaterThanOrEqual(run.ops[0].at + 1000 - 20);
    expect(run.ops[1].at - run.ops[0].at).toBeGreaterThanOrEqual(900);
  });

  it("fails a run whose step exhausts its retries, and one whose step is not retriable", async () => {
    const inngest = await start();
    await inngest.send([
      { name: "test/doomed", data: {} },
      { name: "test/refused", data: {} },
    ]);
    await inngest.drain({ timeoutMs: 20_000 });
    const [doomed, refused] = inngest.runs;
    expect(doomed).toMatchObject({ status: "failed", attempts: { "always-fails": 2 }, error: { message: "always" } });
    expect(doomed.ops.map((o) => o.op)).toEqual(["StepError", "StepFailed", "FunctionError"]);
    expect(refused).toMatchObject({ status: "failed", attempts: { refuses: 1 }, error: { name: "NonRetriableError", message: "never" } });
    expect(refused.ops.map((o) => o.op)).toEqual(["StepFailed", "FunctionError"]);
  });

  it("runs one step at a time per concurrency key, other keys alongside", async () => {
    const inngest = await start();
    await inngest.send([1, 2, 3].map(() => ({ name: "test/limited", data: { key: "a" } })).concat([{ name: "test/limited", data: { key: "b" } }]));
    await inngest.drain({ timeoutMs: 20_000 });
    expect(inngest.runs.map((r) => r.status)).toEqual(["completed", "completed", "completed", "completed"]);
    expect(inFlight.max.get("a")).toBe(1);
    expect(inFlight.max.get("b")).toBe(1);
  });

  it("concurrencyHolds 'runs': a run holds its key's slot from its first call to its end", async () => {
    const inngest = await start({ concurrencyHolds: "runs" });
    await inngest.send([1, 2].map(() => ({ name: "test/limited", data: { key: "runs" } })));
    await inngest.drain({ timeoutMs: 20_000 });
    const [first, second] = [...inngest.runs].sort((a, b) => a.ops[0].at - b.ops[0].at);
    expect([first.status, second.status]).toEqual(["completed", "completed"]);
    expect(second.ops[0].at).toBeGreaterThanOrEqual(first.ops.at(-1)!.at);
  });

  it("checkpointing: the SDK runs steps back to back in one call and reports them to the checkpoint API", async () => {
    const inngest = await start({ checkpointing: true });
    await inngest.send([
      { name: "test/sleep", data: {} },
      { name: "test/flaky", data: {} },
    ]);
    await inngest.drain({ timeoutMs: 20_000 });
    const [sleeper, flaky] = inngest.runs;
    expect(sleeper.status).toBe("completed");
    expect(sleeper.output).toBeGreaterThanOrEqual(2000);
    expect(sleeper.completedSteps).toEqual(["before", "nap", "until", "after"]);
    expect(sleeper.ops.filter((o) => o.checkpointed).map((o) => [o.op, o.step])).toEqual([
      ["StepRun", "before"],
      ["StepRun", "after"],
    ]);
    expect(flaky).toMatchObject({ status: "completed", output: "ok on attempt 2", attempts: { "flaky-step": 3 } });
    expect(inngest.unhandled).toEqual([]);
  });

  it("onStep 'timeout': the executor gives up on a call and calls the step again while the first still runs", async () => {
    const inngest = await start({ onStep: (run, call) => (call.step === "slow-step" && call.attempt === 0 ? "timeout" : "normal"), stepTimeoutMs: 50 });
    await inngest.send({ name: "test/slow", data: { key: "k" } });
    await inngest.drain({ timeoutMs: 20_000 });
    const [run] = inngest.runs.filter((r) => r.fnId === "slow");
    // Both attempts ran at once: a call given up on frees its concurrency slot, as in Inngest.
    expect(inFlight.max.get("slow")).toBe(2);
    expect(run).toMatchObject({ status: "completed", output: 1, attempts: { "slow-step": 2, announce: 1 } });
    const slowOps = run.ops.filter((o) => o.step === "slow-step").map((o) => [o.op, o.attempt, o.abandoned ?? false]);
    expect(slowOps.slice(0, 2)).toEqual([
      ["StepPlanned", 0, false],
      ["TimedOut", 0, false],
    ]);
    // Which answer comes first is the race's: attempt 0 started about 60 ms earlier.
    expect(slowOps.slice(2)).toEqual(
      expect.arrayContaining([
        ["StepRun", 1, false],
        ["StepRun", 0, true],
      ]),
    );
    expect(slowOps).toHaveLength(4);
    // The abandoned attempt's result is not used: the run went on with attempt 1's.
    expect(inngest.events.filter((e) => e.name === "test/slow.done").map((e) => e.data)).toEqual([{ attempt: 1 }]);
  });
});
