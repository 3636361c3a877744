// The step budget's setting and count (the functions' continuation is tested through the executor in
// sync-at-scale.test.ts).
import { describe, expect, it } from "vitest";
import { ConfigError, stepBudgetMs, stepsPerFunction } from "@/lib/config";
import { StepCount } from "./steps";

describe("the step budget", () => {
  it("reads TRIBUTARY_STEPS_PER_FUNCTION: 500 by default, 4 to 990, anything else refused by name", () => {
    expect(stepsPerFunction({})).toBe(500);
    expect(stepsPerFunction({ TRIBUTARY_STEPS_PER_FUNCTION: "" })).toBe(500);
    expect(stepsPerFunction({ TRIBUTARY_STEPS_PER_FUNCTION: "8" })).toBe(8);
    for (const bad of ["3", "991", "1000", "1.5", "many"])
      expect(() => stepsPerFunction({ TRIBUTARY_STEPS_PER_FUNCTION: bad })).toThrow(/TRIBUTARY_STEPS_PER_FUNCTION must be a whole number from 4 to 990/);
    // A configuration problem: the launcher prints it as one line at start, not a stack trace at the first sync.
    expect(() => stepsPerFunction({ TRIBUTARY_STEPS_PER_FUNCTION: "many" })).toThrow(ConfigError);
  });

  it("reads TRIBUTARY_STEP_BUDGET_MS: 20 s by default, 1 ms to 15 minutes, anything else refused by name", () => {
    expect(stepBudgetMs({})).toBe(20_000);
    expect(stepBudgetMs({ TRIBUTARY_STEP_BUDGET_MS: "250" })).toBe(250);
    for (const bad of ["0", "900001", "2.5", "soon", "-5"]) {
      expect(() => stepBudgetMs({ TRIBUTARY_STEP_BUDGET_MS: bad })).toThrow(ConfigError);
      expect(() => stepBudgetMs({ TRIBUTARY_STEP_BUDGET_MS: bad })).toThrow(/TRIBUTARY_STEP_BUDGET_MS must be a whole number of milliseconds from 1 to 900000/);
    }
  });

  it("keeps one step for the continuation", () => {
    const steps = new StepCount(6);
    steps.take(4);
    expect(steps.room(1)).toBe(true);
    expect(steps.room(2)).toBe(false);
    steps.take();
    expect(steps.room(1)).toBe(false);
    expect(steps.taken).toBe(5);
  });
});
