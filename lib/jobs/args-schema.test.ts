// A tenant's args_schema runs in the server's event loop, so what it can cost is bounded: patterns
// (and patternProperties) run on a linear-time engine, so the classic catastrophic pattern answers at
// once at any length; patterns the engine cannot run are refused when the job is saved, naming the
// field; argument strings and args are capped; one schema's $id neither collides with nor is reachable
// from another's.
import { describe, expect, it } from "vitest";
import { argsProblems, argsSchemaProblems } from "./args-schema";
import { InvalidJobError, parseJobDefinition } from "./definition";

const withArg = (schema: Record<string, unknown>) => ({ type: "object", properties: { org_id: { type: "string", ...schema } } });

function saveProblems(argsSchema: Record<string, unknown>): { field: string; message: string }[] {
  try {
    parseJobDefinition({ name: "Job", category: "ticketing", args_schema: argsSchema, resources: [{ resource: "ticketing/tickets" }] });
  } catch (error) {
    if (error instanceof InvalidJobError) return error.problems;
    throw error;
  }
  return [];
}

describe("a sync job's args_schema", () => {
  it("runs ^(a+)+$ in linear time: 28 to 40 a's and a ! each answer in well under 50 ms, as do 4,096", () => {
    const schema = {
      ...withArg({ pattern: "^(a+)+$" }),
      patternProperties: { "^(b+)+$": { type: "string" } },
      propertyNames: { pattern: "^(c+)+$|^org_id$|^b+!?$" },
    };
    expect(saveProblems(schema)).toEqual([]);
    for (const length of [28, 32, 36, 40, 4095]) {
      // CPU time: a busy machine may pause the process, which is not the engine's doing.
      const before = process.cpuUsage();
      const problems = argsProblems(schema, { org_id: `${"a".repeat(length)}!`, [`${"b".repeat(Math.min(length, 4095))}!`]: "x" });
      const used = process.cpuUsage(before);
      expect((used.user + used.system) / 1000, `${length} characters`).toBeLessThan(50);
      expect(problems).toEqual([{ field: "args.org_id", message: 'must match pattern "^(a+)+$"' }]);
    }
    expect(argsProblems(schema, { org_id: "aaaa" })).toEqual([]);
  });

  it.each([
    [
      "a lookahead",
      withArg({ pattern: "^(?=.*[0-9])\\w+$" }),
      "args_schema.properties.org_id.pattern",
      /cannot run on the linear-time engine \(invalid or unsupported Perl syntax: `\(\?=`\); lookahead, lookbehind and backreferences are not supported/,
    ],
    ["a lookbehind", withArg({ pattern: "(?<!x)y" }), "args_schema.properties.org_id.pattern", /cannot run on the linear-time engine/],
    [
      "a backreference",
      withArg({ pattern: "^(a)\\1$" }),
      "args_schema.properties.org_id.pattern",
      /cannot run on the linear-time engine \(invalid escape sequence: `\\1`\)/,
    ],
    ["a named backreference", withArg({ pattern: "^(?<x>a)\\k<x>$" }), "args_schema.properties.org_id.pattern", /uses a backreference \(\\k<name>\)/],
    [
      "a pattern that is not ECMA-262",
      withArg({ pattern: "^(a" }),
      "args_schema.properties.org_id.pattern",
      /is not a valid regular expression: Invalid regular expression/,
    ],
    [
      "a pattern over 512 characters",
      withArg({ pattern: "a".repeat(513) }),
      "args_schema.properties.org_id.pattern",
      /is 513 characters long; a pattern may have at most 512/,
    ],
    [
      "patterns over 4,096 characters together",
      { type: "object", properties: Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`a${i}`, { type: "string", pattern: "b".repeat(500) }])) },
      "args_schema.properties.a8.pattern",
      /brings the schema's patterns to 4500 characters; together they may have at most 4096/,
    ],
    [
      "a patternProperties key",
      { type: "object", patternProperties: { "^(?=x)": { type: "string" } } },
      "args_schema.patternProperties.^(?=x)",
      /cannot run on the linear-time engine/,
    ],
    [
      "a nested pattern",
      { type: "object", properties: { ids: { type: "array", items: { type: "string", pattern: "(?=a)" } } } },
      "args_schema.properties.ids.items.pattern",
      /linear-time/,
    ],
    [
      "a pattern in allOf",
      { type: "object", allOf: [{}, { properties: { x: { pattern: "(?!a)" } } }] },
      "args_schema.allOf[1].properties.x.pattern",
      /linear-time/,
    ],
    [
      "a pattern in definitions",
      { type: "object", definitions: { id: { type: "string", pattern: "(?<=a)" } }, properties: { x: { $ref: "#/definitions/id" } } },
      "args_schema.definitions.id.pattern",
      /linear-time/,
    ],
    ["an async schema", { type: "object", $async: true }, "args_schema.$async", /not supported/],
    [
      "a schema nested too deep",
      { type: "object", properties: { x: JSON.parse(`${'{"not":'.repeat(40)}{}${"}".repeat(40)}`) } },
      "args_schema.properties.x" + ".not".repeat(32),
      /nests deeper than 32 levels/,
    ],
  ])("refuses %s on save, naming the field", (_, schema, field, message) => {
    const problems = saveProblems(schema);
    expect(problems.map((p) => p.field)).toContain(field);
    expect(problems.find((p) => p.field === field)!.message).toMatch(message);
  });

  it("keeps ECMA-262 patterns' meaning: escapes, classes, named groups, Unicode properties, anchors", () => {
    const cases: [string, string, boolean][] = [
      ["^\\d{3}-\\d{4}$", "555-1234", true],
      ["^\\d{3}-\\d{4}$", "555-12345", false],
      ["^\\u0041\\u{1F600}$", "A😀", true],
      ["^(?<year>\\d{4})$", "2026", true],
      ["^\\p{L}+$", "héllo", true],
      ["^\\p{L}+$", "h3llo", false],
      ["^[^]$", "\n", true],
      ["^.$", "😀", true],
      ["^\\cJ$", "\n", true],
      ["^a/b$", "a/b", true],
      ["org_", "an org_id", true],
      ["^org$", "org\n", false],
      ["^[\\w.-]+@example\\.com$", "a.b-c@example.com", true],
    ];
    for (const [pattern, input, valid] of cases) {
      const schema = withArg({ pattern });
      expect(argsSchemaProblems(schema), pattern).toEqual([]);
      expect(argsProblems(schema, { org_id: input }).length === 0, `${pattern} on ${JSON.stringify(input)}`).toBe(valid);
    }
  });

  it("holds each pattern of a schema to its own property", () => {
    const schema = {
      type: "object",
      properties: { a: { type: "string", pattern: "^x$" }, b: { type: "string", pattern: "^y$" } },
      patternProperties: { "^z": { type: "integer" } },
    };
    expect(argsProblems(schema, { a: "x", b: "y", zed: 1 })).toEqual([]);
    expect(argsProblems(schema, { a: "y", b: "x", zed: "1" })).toEqual([
      { field: "args.a", message: 'must match pattern "^x$"' },
      { field: "args.b", message: 'must match pattern "^y$"' },
      { field: "args.zed", message: "must be integer" },
    ]);
  });

  it("names an item of an array the way every edge does, ids[1] and allOf[0], never ids.1", () => {
    const schema = { type: "object", properties: { ids: { type: "array", items: { type: "integer" } } } };
    expect(argsProblems(schema, { ids: [1, "two"] })).toEqual([{ field: "args.ids[1]", message: "must be integer" }]);
    expect(argsSchemaProblems({ type: "object", allOf: [{ type: "nope" }] })).toEqual([
      { field: "args_schema.allOf[0].type", message: expect.stringMatching(/^is not valid JSON Schema: /) },
    ]);
  });

  it("caps argument strings, keys and the args' size, naming the field", () => {
    const schema = { type: "object" };
    expect(argsProblems(schema, { org_id: "x".repeat(4096) })).toEqual([]);
    expect(argsProblems(schema, { org_id: "x".repeat(4097) })).toEqual([
      { field: "args.org_id", message: "is 4097 characters long; an argument string may have at most 4096" },
    ]);
    expect(argsProblems(schema, { ids: ["a", "x".repeat(5000)] })).toEqual([
      { field: "args.ids[1]", message: "is 5000 characters long; an argument string may have at most 4096" },
    ]);
    expect(argsProblems(schema, { ["k".repeat(5000)]: 1 })[0].message).toBe("is 5000 characters long; an argument string may have at most 4096");
    expect(argsProblems(schema, { ids: Array.from({ length: 20 }, () => "x".repeat(4000)) })).toEqual([
      { field: "args", message: expect.stringMatching(/^is \d+ characters of JSON; a run's args may have at most 65536$/) },
    ]);
  });

  it("compiles each schema apart: the same $id in two jobs, and no $ref to another job's schema", () => {
    const first = { $id: "shared", type: "object", properties: { a: { type: "string" } } };
    const second = { $id: "shared", type: "object", properties: { a: { type: "integer" } } };
    expect(argsSchemaProblems(first)).toEqual([]);
    expect(argsSchemaProblems(second)).toEqual([]);
    expect(argsProblems(first, { a: "x" })).toEqual([]);
    expect(argsProblems(second, { a: "x" })).toEqual([{ field: "args.a", message: "must be integer" }]);
    expect(argsSchemaProblems({ type: "object", properties: { a: { $ref: "shared" } } })).toEqual([
      { field: "args_schema", message: expect.stringMatching(/can't resolve reference shared/) },
    ]);
  });

  it("answers a problem with the job, not a crash, for a saved schema this server no longer runs", () => {
    expect(argsProblems(withArg({ pattern: "(?=a)" }), { org_id: "a" })).toEqual([
      {
        field: "sync_job_id",
        message: expect.stringMatching(/^the job's args_schema\.properties\.org_id\.pattern cannot run on the linear-time engine .*; update the job first$/),
      },
    ]);
  });
});
