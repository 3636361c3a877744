import { describe, expect, it } from "vitest";
import { locateField, positionAt, readJsonText } from "./json-text";

function failure(text: string) {
  const result = readJsonText(text);
  if (result.ok) throw new Error("expected a syntax error");
  return result;
}

describe("readJsonText", () => {
  it("reads what JSON.parse reads", () => {
    const text = '{ "a": [1, -2.5e3, true, null, "x\\n\\u00e9"], "b": {} }';
    const result = readJsonText(text);
    expect(result.ok && result.value).toEqual(JSON.parse(text));
  });

  it("names the line and column of a missing comma", () => {
    const error = failure('{\n  "name": "x"\n  "category": "ticketing"\n}');
    expect(error).toMatchObject({ line: 3, column: 3 });
    expect(error.message).toBe('Expected "," or "}" after the value of "name", found the string "category"');
  });

  it("names a trailing comma, single quotes, an unclosed string and text after the value", () => {
    expect(failure('{"a": 1,\n}')).toMatchObject({ line: 2, column: 1, message: expect.stringContaining("trailing comma") });
    expect(failure("{'a': 1}").message).toContain("property name in double quotes");
    expect(failure('{"a": "b\n"}')).toMatchObject({ line: 1, message: expect.stringContaining("not closed") });
    expect(failure('{"a": 1} x')).toMatchObject({ column: 10, message: expect.stringContaining("after the end") });
    expect(failure("[1, 2,]").message).toContain("trailing comma");
    expect(failure("   ").message).toContain("empty");
    expect(failure('{"a": tru}').message).toBe('Expected a value, found "t"');
  });
});

describe("locateField", () => {
  const text = '{\n  "resources": [\n    { "resource": "a" },\n    {\n      "query": { "ticket_id": "x" }\n    }\n  ]\n}';
  const result = readJsonText(text);
  const positions = result.ok ? result.positions : new Map<string, number>();
  const lineOf = (field: string) => {
    const offset = locateField(positions, field);
    return offset === null ? null : positionAt(text, offset).line;
  };

  it("finds a field by the library's path, at its property name", () => {
    expect(lineOf("resources[1].query.ticket_id")).toBe(5);
    expect(lineOf("resources[0].resource")).toBe(3);
  });

  it("falls back to the nearest written ancestor, and to nothing for a missing top-level field", () => {
    expect(lineOf("resources[1].depends_on")).toBe(4);
    expect(lineOf("name")).toBeNull();
  });
});
