// The Xero emulator over real HTTP, for what xero-node does not exercise: where parsing and its
// errors, paging arithmetic on a million records, ordering stable across pages, deleted and voided
// documents, the concurrent and daily limits, webhooks and intent to receive.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { xero } from "./platform";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const TENANT = "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c";

describe("Xero Accounting API emulator", () => {
  let now = Date.UTC(2026, 10, 1, 12);
  let sandbox: SandboxServer;
  let token = "";

  const control = async (path: string, method: string, body?: unknown) => {
    const response = await fetch(`${sandbox.url}/control/accounts${path}`, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, body: (await response.json().catch(() => null)) as Json };
  };
  const tokenFor = async (tenant: string) => (await control(`/xero/${tenant}/tokens`, "POST", {})).body.access_token as string;
  const get = (path: string, options: { tenant?: string; token?: string; headers?: Record<string, string> } = {}) =>
    fetch(`${sandbox.url}/xero/api.xro/2.0${path}`, {
      headers: { Accept: "application/json", "xero-tenant-id": options.tenant ?? TENANT, Authorization: `Bearer ${options.token ?? token}`, ...options.headers },
    });
  const getJson = async (path: string, options?: Parameters<typeof get>[1]) => {
    const response = await get(path, options);
    expect(response.status, `${path}: ${response.status}`).toBe(200);
    return (await response.json()) as Json;
  };

  beforeAll(async () => {
    sandbox = await startSandboxServer({ platforms: [xero], clock: () => now });
    expect((await control("", "POST", { platform: "xero", id: TENANT, size: 2000, seed: 7, rate_limited: false })).status).toBe(201);
    token = await tokenFor(TENANT);
    now += 60_000;
  });
  afterAll(() => sandbox?.stop());

  it("lists invoices and bills in pages of pageSize, with Xero's envelope and pagination", async () => {
    const first = await getJson("/Invoices?page=1&pageSize=50");
    expect(first).toMatchObject({ Status: "OK", pagination: { page: 1, pageSize: 50 } });
    expect(first.Invoices).toHaveLength(50);
    expect(first.DateTimeUTC).toMatch(/^\/Date\(\d+\)\/$/);
    const invoice = first.Invoices[0];
    expect(invoice.InvoiceID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(invoice.Date).toMatch(/^\/Date\(\d+\+0000\)\/$/);
    expect(invoice.DateString).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00$/);
    expect(invoice.UpdatedDateUTC).toMatch(/^\/Date\(\d+\+0000\)\/$/);
    expect(typeof invoice.Total).toBe("number");
    const all: string[] = [];
    for (let page = 1; page <= first.pagination.pageCount; page++) {
      const body = await getJson(`/Invoices?page=${page}&pageSize=50`);
      all.push(...body.Invoices.map((i: Json) => i.InvoiceID));
    }
    expect(all).toHaveLength(first.pagination.itemCount);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual([...all].sort());
  });
});
