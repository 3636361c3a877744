// Zod's issues as people read them: every field named, in words that follow the field's name, never
// the validator's own wording; a schema's explicit message kept as written.
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { parseJobDefinition, InvalidJobError } from "@/lib/jobs/definition";
import { ApiError } from "@/lib/api/errors";
import { parseBody } from "@/lib/api/body";
import { formFieldErrors, issueProblems } from "./issues";

const ZOD_WORDING = /Too small|Too big|Invalid input|Invalid option|expected string|>=|<=|Unrecognized/;

describe("zod issues as problems", () => {
  it("name every field with a human sentence", () => {
    const schema = z
      .object({
        name: z.string().trim().min(1).max(5),
        count: z.number().int().min(2),
        kind: z.enum(["a", "b"]),
        url: z.string().url(),
        tags: z.array(z.string()).min(1),
        required: z.string(),
        cron: z.string().min(1, "Enter a cron expression."),
      })
      .strict();
    const result = schema.safeParse({ name: "  ", count: 1, kind: "c", url: "nope", tags: [], cron: "", extra: true });
    expect(result.success).toBe(false);
    const problems = issueProblems(result.error!);
    expect(problems).toEqual([
      { field: "name", message: "must not be empty" },
      { field: "count", message: "must be at least 2" },
      { field: "kind", message: 'must be one of "a", "b"' },
      { field: "url", message: "must be a URL, such as https://example.com" },
      { field: "tags", message: "must have at least one item" },
      { field: "required", message: "is required" },
      { field: "cron", message: "Enter a cron expression." },
      { field: "extra", message: "unknown field" },
    ]);
    const long = issueProblems(schema.pick({ name: true }).safeParse({ name: "abcdefgh" }).error!);
    expect(long).toEqual([{ field: "name", message: "must be at most 5 characters" }]);
  });

  it("reach sync job definitions: every problem, none in the validator's wording", () => {
    let problems: { field: string; message: string }[] = [];
    try {
      parseJobDefinition({ name: "", category: "ticketing", resources: [] });
    } catch (error) {
      if (!(error instanceof InvalidJobError)) throw error;
      problems = error.problems;
    }
    expect(problems).toEqual([
      { field: "name", message: "must not be empty" },
      { field: "resources", message: "must have at least one item" },
    ]);
    expect(String(problems.map((p) => p.message))).not.toMatch(ZOD_WORDING);
  });

  it("reach the API's 400: the field and a sentence after it", () => {
    const schema = z.object({ name: z.string().min(1) }).strict();
    let caught: unknown;
    try {
      parseBody('{"name":""}', schema);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ApiError);
    expect((caught as ApiError).message).toBe("name: must not be empty");
  });

  it("reach a dashboard form: the first problem of each of its fields, as a sentence under the label", () => {
    const schema = z.object({
      name: z.string().min(1).max(5),
      email: z.string().email("Enter an email address such as ada@example.com"),
      secret: z.string().min(1),
    });
    const parsed = schema.safeParse({ name: "", email: "nope", secret: "" });
    expect(parsed.success).toBe(false);
    const errors = formFieldErrors(parsed.error!, (key) => (key === "secret" ? undefined : key));
    expect(errors).toEqual({ name: "Must not be empty", email: "Enter an email address such as ada@example.com" });
    expect(String(Object.values(errors))).not.toMatch(ZOD_WORDING);
  });
});
