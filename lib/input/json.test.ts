import { describe, expect, it } from "vitest";
import { readJsonInput } from "./json";
import { MAX_JSON_DEPTH } from "./json-text";

describe("readJsonInput", () => {
  it("says where a text that is not JSON breaks, by line and column", () => {
    expect(readJsonInput('{\n  "a": 1,\n  "b": ]\n}')).toMatchObject({ ok: false, syntax: true, line: 3, column: 8 });
    expect(readJsonInput("{'a':1}")).toMatchObject({
      ok: false,
      syntax: true,
      line: 1,
      column: 2,
      message: 'Expected a property name in double quotes, found "\'"',
    });
    // 10,000 unclosed arrays: refused at the depth limit, not by running out of stack.
    expect(readJsonInput("[".repeat(10_000))).toMatchObject({ ok: false, syntax: true, offset: MAX_JSON_DEPTH });
  });

  it("names the first string or name that cannot be text: NUL, lone surrogates", () => {
    expect(readJsonInput('{"a":[{"b":"x\\u0000y"}]}')).toMatchObject({ ok: false, syntax: false, field: "a[0].b", message: expect.stringContaining("NUL") });
    expect(readJsonInput('{"args":{"k\\u0000":1}}')).toMatchObject({
      ok: false,
      syntax: false,
      field: "args.k\u0000",
      message: expect.stringContaining("the name"),
    });
    expect(readJsonInput('{"a":"\\ud800"}')).toMatchObject({ ok: false, syntax: false, field: "a", message: expect.stringContaining("surrogate") });
    expect(readJsonInput('{"a":"\\ud83d\\ude42"}')).toEqual({ ok: true, value: { a: "🙂" } });
  });

  it("names a value nested deeper than the limit", () => {
    const deep = (depth: number) => '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
    expect(readJsonInput(deep(MAX_JSON_DEPTH)).ok).toBe(true);
    expect(readJsonInput(deep(10_000))).toMatchObject({
      ok: false,
      syntax: false,
      field: `${"a.".repeat(MAX_JSON_DEPTH - 1)}a`,
      message: `nests deeper than ${MAX_JSON_DEPTH} levels`,
    });
  });
});
