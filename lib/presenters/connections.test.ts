import { describe, expect, it } from "vitest";
import { connectionsHref, hasFilters, parseConnectionQuery } from "./connections";

describe("the connection list's query string", () => {
  it("keeps known platforms, stages, health states and well-formed cursors", () => {
    expect(parseConnectionQuery({ platform: "zendesk", stage: "ONGOING", health: "NEEDS_UPDATE", cursor: "conn_01JD0000000000000000000000" })).toEqual({
      filters: { platform: "zendesk", stage: "ONGOING", health: "NEEDS_UPDATE" },
      cursor: "conn_01JD0000000000000000000000",
    });
  });

  it("ignores unknown values instead of failing the page", () => {
    const query = parseConnectionQuery({ platform: "salesforce", stage: "toString", health: "healthy", cursor: "run_01JD' OR 1=1" });
    expect(query).toEqual({ filters: { platform: undefined, stage: undefined, health: undefined }, cursor: undefined });
    expect(hasFilters(query.filters)).toBe(false);
  });

  it("reads the first of repeated parameters and treats empty selects as no filter", () => {
    expect(parseConnectionQuery({ platform: ["shopify", "zendesk"], stage: "", health: undefined }).filters).toEqual({
      platform: "shopify",
      stage: undefined,
      health: undefined,
    });
  });

  it("builds links that keep the filters and add the cursor", () => {
    expect(connectionsHref({})).toBe("/connections");
    expect(connectionsHref({ platform: "shopify", health: "HEALTHY" }, "conn_01JD")).toBe("/connections?platform=shopify&health=HEALTHY&cursor=conn_01JD");
  });
});
