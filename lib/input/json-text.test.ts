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

  it("refuses whatever JSON.parse refuses: comments, trailing commas, loose numbers, control characters, other spaces", () => {
    const texts = ['{"a": 1 // note\n}', "[1 /* note */]", "[1,]", "[01]", "[1.]", "[.5]", "[+1]", "[-]", "[1e]", "[NaN]", "[Infinity]", "[undefined]"];
    texts.push('["a\u0001"]', '["\\x"]', '["\\u12"]', "\ufeff[]", "[\u00a01]", "[1]\u2028", "{a: 1}", "[true false]");
    for (const text of texts) {
      expect(() => JSON.parse(text), text).toThrow();
      expect(readJsonText(text).ok, text).toBe(false);
    }
    expect(failure('{"a": 1 // note\n}')).toMatchObject({ offset: 8, message: "Remove the comment: JSON allows no comments" });
    expect(failure("[1.]")).toMatchObject({ offset: 3, message: 'Expected a digit, found "]"' });
    expect(failure('["a\\x"]')).toMatchObject({ offset: 3, message: "Unknown escape \\x" });
  });

  it("takes __proto__ and a repeated name as JSON.parse does, the name written last located", () => {
    const text = '{"__proto__": {"admin": true}, "a": 1, "a": [2]}';
    const result = readJsonText(text);
    if (!result.ok) throw new Error(result.message);
    expect(result.value).toEqual(JSON.parse(text));
    expect(Object.getPrototypeOf(result.value)).toBe(Object.prototype);
    expect(Object.hasOwn(result.value as object, "__proto__")).toBe(true);
    expect(result.positions.get("__proto__.admin")).toBe(text.indexOf('"admin"'));
    expect(result.positions.get("a")).toBe(text.lastIndexOf('"a"'));
    expect(result.positions.get("a[0]")).toBe(text.indexOf("2"));
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
