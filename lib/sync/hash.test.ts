// Stored records keep the hash they were written with: the canonical form must never drift, or every
// record would read as updated on its next sync.
import { describe, expect, it } from "vitest";
import { canonicalContent, canonicalJson } from "./hash";

const contentHash = (data: unknown) => canonicalContent(data).hash;

describe("content hashes", () => {
  const record = {
    id: "42",
    "10": "integer-like keys sort as text, not as numbers",
    "9": null,
    é: "a key past ASCII",
    Zeta: "capitals before lower case",
    total: "12.50",
    skipped: undefined,
    lines: [{ amount: "1.00", id: null }, [1, 2.5, -0, true], "x"],
    nested: { b: { d: [], c: {} }, a: '\u2028 and "quotes"' },
  };

  it("writes keys in code-unit order, leaves undefined members out and keeps arrays in order", () => {
    expect(canonicalJson(record)).toBe(
      '{"10":"integer-like keys sort as text, not as numbers","9":null,"Zeta":"capitals before lower case","id":"42","lines":[{"amount":"1.00","id":null},[1,2.5,0,true],"x"],"nested":{"a":"\u2028 and \\"quotes\\"","b":{"c":{},"d":[]}},"total":"12.50","é":"a key past ASCII"}',
    );
    expect(canonicalJson(undefined)).toBe("null");
    expect(canonicalJson([undefined, Number.NaN])).toBe("[null,null]");
  });

  it("gives the hash records were stored with", () => {
    // Computed with the form every stored hash was written in; a different value means stored records would all read as changed.
    expect(contentHash(record)).toBe("LQ4bVa_Fu7j3susmlwCb7PCeKrrh0ICNg9I0AmMi6D4");
    expect(contentHash({ total: "10.00", tags: ["a"] })).toBe(contentHash({ tags: ["a"], total: "10.00" }));
  });
});
