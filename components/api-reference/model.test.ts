import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/api/openapi";
import { groupOperations, objectFields, resolveRef, typeLabel, type Json } from "./model";
import { parseBlocks } from "./markdown";

describe("the API reference's reading of the OpenAPI document", () => {
  const document = openApiDocument() as Json;
  const tags = groupOperations(document);

  it("lists every operation of the document once, grouped under its tag", () => {
    const paths = document.paths as Record<string, Record<string, unknown>>;
    const expected = Object.entries(paths)
      .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(tags.flatMap((tag) => tag.operations.map((operation) => `${operation.method} ${operation.path}`)).sort()).toEqual(expected);
    for (const tag of tags) for (const operation of tag.operations) expect(operation.summary).not.toBe("");
  });

  it("resolves parameter and response references against the components", () => {
    const post = tags.flatMap((tag) => tag.operations).find((operation) => operation.method === "POST")!;
    const idempotency = post.parameters.find((parameter) => parameter.name === "Idempotency-Key");
    expect(idempotency).toMatchObject({ in: "header", required: false });
    const unauthorized = post.responses.find((response) => response.status === "401")!;
    expect(unauthorized.description).toMatch(/API key/);
    expect(objectFields(document, unauthorized.schema!)?.map((field) => field.name)).toEqual(["error_type", "error_code", "error_message", "field"]);
  });

  it("names types in a few words", () => {
    expect(typeLabel(document, { type: ["string", "null"], format: "date-time" })).toBe("string | null (date-time)");
    expect(typeLabel(document, { type: "array", items: { $ref: "#/components/schemas/Error" } })).toBe("array of Error");
    expect(typeLabel(document, { enum: ["a", "b"] })).toBe('"a" | "b"');
    expect(resolveRef(document, { $ref: "#/components/schemas/Nope" })).toEqual({});
  });
});

describe("the README's Markdown blocks", () => {
  it("reads headings, fenced code with its Markdown left alone, lists and tables", () => {
    const blocks = parseBlocks(
      "# Title\n\nSome `code` here\nand more.\n\n```sh\n# not a heading\nnpm run dev\n```\n\n- one\n- two\n  continued\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    );
    expect(blocks).toEqual([
      { kind: "heading", level: 1, text: "Title" },
      { kind: "paragraph", text: "Some `code` here and more." },
      { kind: "code", text: "# not a heading\nnpm run dev" },
      { kind: "list", ordered: false, items: ["one", "two continued"] },
      {
        kind: "table",
        rows: [
          ["a", "b"],
          ["1", "2"],
        ],
      },
    ]);
  });
});
