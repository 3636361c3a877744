// Cost arithmetic, the search syntax, and a million-record store: starting at once and streaming its
// bulk JSONL with flat memory.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { getOperationAST, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { SANDBOX_PLATFORMS } from "@/lib/sandbox/platforms";
import { startSandboxServer } from "@/lib/sandbox/server";
import { requestedCost } from "./cost";
import { ADMIN_SCHEMA } from "./schema";
import { parseSearch } from "./search";

const cost = (query: string, variables: Record<string, unknown> = {}) => {
  const document = parse(query);
  return requestedCost(ADMIN_SCHEMA, document, getOperationAST(document)!, variables);
};

describe("requested cost", () => {
  it("charges objects 1, scalars 0, connections 2 + first × one element, mutations 10", () => {
    expect(cost(`{ shop { name } }`)).toBe(1);
    expect(cost(`{ products(first: 250) { edges { node { id } } pageInfo { hasNextPage } } }`)).toBe(252);
    expect(cost(`query($n: Int) { products(last: $n) { nodes { id } } }`, { n: 10 })).toBe(12);
    // Each order 1, its MoneyBag 1 and shopMoney 1; its line items a connection of 5 objects.
    expect(cost(`{ orders(first: 10) { nodes { totalPriceSet { shopMoney { amount } } lineItems(first: 5) { nodes { id } } } } }`)).toBe(
      2 + 10 * (1 + 2 + (2 + 5)),
    );
    // An interface costs its dearest possible selection.
    expect(cost(`{ node(id: "x") { ... on Product { variants(first: 3) { nodes { id } } } ... on Order { customer { id } } } }`)).toBe(1 + 5);
    expect(cost(`mutation { bulkOperationRunQuery(query: "{ products { nodes { id } } }") { bulkOperation { id } userErrors { message } } }`)).toBe(10);
  });
});

describe("search syntax", () => {
  it("reads created_at/updated_at ranges at second precision, joined by AND or spaces", () => {
    const t = Date.UTC(2026, 0, 1);
    expect(parseSearch("orders", `updated_at:>'2026-01-01T00:00:00Z' AND created_at:<=2026-01-01T00:00:00Z`).filters).toEqual({
      updatedMin: t + 1000,
      createdMax: t + 999,
    });
    expect(parseSearch("products", `updated_at:>=2026-01-01 updated_at:<2026-01-02 status:active,draft`).filters).toEqual({
      updatedMin: t,
      updatedMax: t + 86_400_000 - 1,
      status: ["active", "draft"],
    });
    expect(parseSearch("customers", `created_at:2026-01-01`).filters).toEqual({ createdMin: t, createdMax: t + 86_400_000 - 1 });
    expect(parseSearch("orders", `id:>5000000000010`).filters).toEqual({ sinceId: 5_000_000_000_010 });
  });

  it("warns about terms it does not apply instead of filtering by them", () => {
    const parsed = parseSearch("custom_collections", `created_at:>2026-01-01 title:Summer`);
    expect(parsed.filters).toEqual({});
    expect(parsed.warnings.map((w) => w.field)).toEqual(["created_at", "title"]);
  });
});

describe("a 1,000,000-record store", () => {
  it("starts at once and streams a bulk export without holding it in memory", { timeout: 240_000 }, async () => {
    const sandbox = await startSandboxServer({ platforms: SANDBOX_PLATFORMS });
    try {
      const control = async (path: string, method: string, body?: unknown) =>
        (
          await fetch(`${sandbox.url}/control/accounts${path}`, {
            method,
            headers: { "content-type": "application/json" },
            body: body === undefined ? undefined : JSON.stringify(body),
          })
        ).json();
      const started = performance.now();
      await control("", "POST", { platform: "shopify", id: "huge", size: 1_000_000, seed: 11, rate_limited: false });
      const { access_token } = await control("/shopify/huge/tokens", "POST", {});
      const gql = async (query: string, variables?: unknown) =>
        (await (
          await fetch(`${sandbox.url}/shopify/huge/admin/api/2026-10/graphql.json`, {
            method: "POST",
            headers: { "content-type": "application/json", "x-shopify-access-token": access_token },
            body: JSON.stringify({ query, variables }),
          })
        ).json()) as {
          data: { currentBulkOperation: { status: string; url: string; objectCount: string; rootObjectCount: string; fileSize: string } };
        };
      const firstPage = await gql(`{ orders(first: 5, reverse: true) { nodes { id } } }`);
      expect(performance.now() - started).toBeLessThan(2000);
      expect(firstPage.data).toBeTruthy();

      // The 100,000 products and their variants: ~48 MB of JSONL.
      await gql(
        `mutation { bulkOperationRunQuery(query: "{ products { edges { node { id title handle variants { edges { node { id sku price } } } } } } }") { userErrors { message } } }`,
      );
      let operation = (await gql(`{ currentBulkOperation { status url objectCount rootObjectCount fileSize } }`)).data.currentBulkOperation;
      while (operation.status !== "COMPLETED") {
        await new Promise((resolve) => setTimeout(resolve, 250));
        operation = (await gql(`{ currentBulkOperation { status url objectCount rootObjectCount fileSize } }`)).data.currentBulkOperation;
      }
      expect(Number(operation.rootObjectCount)).toBe(100_000);

      // Retained memory, not garbage: collect before each sample.
      setFlagsFromString("--expose-gc");
      const gc = runInNewContext("gc") as () => void;
      gc();
      const heapBefore = process.memoryUsage().heapUsed;
      let peak = heapBefore;
      const response = await fetch(operation.url);
      const reader = response.body!.getReader();
      let bytes = 0;
      let newlines = 0;
      for (let chunks = 0; ; chunks++) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.length;
        for (const byte of value) if (byte === 10) newlines++;
        // Read slowly at first, so a server that did not wait for the socket to drain would pile up.
        if (chunks < 20) await new Promise((resolve) => setTimeout(resolve, 20));
        if (chunks % 50 === 0) {
          gc();
          peak = Math.max(peak, process.memoryUsage().heapUsed);
        }
      }
      expect(bytes).toBe(Number(operation.fileSize));
      expect(newlines).toBe(Number(operation.objectCount));
      // The file is ~48 MB (twice that as JS strings); built in memory it would all be retained at once.
      console.log(
        `bulk export: ${(bytes / 1e6).toFixed(1)} MB, ${newlines} lines, retained heap growth while streaming ${((peak - heapBefore) / 1e6).toFixed(1)} MB`,
      );
      expect(bytes).toBeGreaterThan(30e6);
      expect(peak - heapBefore).toBeLessThan(16e6);
    } finally {
      await sandbox.stop();
    }
  });
});
