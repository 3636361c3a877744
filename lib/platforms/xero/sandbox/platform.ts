// Xero as the sandbox server serves it: the Accounting API (Xero-OpenAPI xero_accounting.yaml 16.1.0)
// under /xero/api.xro/2.0, the tenant named by the xero-tenant-id header (sandbox account ids are
// tenant UUIDs, lower-case), bearer tokens, Xero's limits (limits.ts), its error bodies, and webhooks
// in Xero's format with intent to receive (webhooks.ts). OAuth (identity service, /connections, JWT
// access tokens) is identity.ts.
import { randomUUID } from "node:crypto";
import { json, type SandboxResponse } from "@/lib/sandbox/http";
import type { SandboxPlatform } from "@/lib/sandbox/platform";
import { handleXero } from "./api";
import { XERO_SCOPES, xeroCredential, xeroIdentity, xeroUnauthorized } from "./identity";
import { tenantGuid, xeroGuid } from "./ids";
import { xeroLimiter } from "./limits";
import { generatedInvoiceStatus, XERO_OBJECTS } from "./objects";
import { RESOURCE_OF_OBJECT } from "./resources";
import { xeroIntentToReceive, xeroWebhook } from "./webhooks";

const API_BASE = "/api.xro/2.0";
const TENANT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Xero's problem documents (403 AuthenticationUnsuccessful, 401). */
const problem = (status: number, title: string, detail: string): SandboxResponse =>
  json(status, { Type: null, Title: title, Status: status, Detail: detail, Instance: randomUUID(), Extensions: {} });

export const xero: SandboxPlatform = {
  key: "xero",
  name: "Xero",
  objects: XERO_OBJECTS,
  scopes: XERO_SCOPES,
  acceptsApiKeys: false,
  groundTruth: {
    accounts: "Account",
    vendors: "Supplier",
    customers: "Customer",
    bills: "Bill",
    invoices: "Invoice",
    expenses: "SpendMoney",
    payments: "Payment",
  },
  demoAccount: { id: "4c5f3a1e-6b2d-4e8f-9a7c-1d2e3f4a5b6c", name: "Demo Company (Global)" },
  route(path, headers) {
    if (path !== API_BASE && !path.startsWith(`${API_BASE}/`)) return null;
    const tenant = (headers["xero-tenant-id"] ?? "").trim().toLowerCase();
    return TENANT.test(tenant) ? { accountId: tenant, path: path.slice(API_BASE.length) || "/" } : null;
  },
  newAccountId: (seed) => tenantGuid(seed),
  accountIds: { pattern: TENANT, description: "a Xero tenant id: a lower-case UUID" },
  credential: xeroCredential,
  oauth: xeroIdentity,
  errors: {
    unauthorized: (reason) => xeroUnauthorized(reason),
    // An unknown, missing or closed tenant: the tenant is not connected to this token's grant.
    closed: () => problem(403, "Forbidden", "AuthenticationUnsuccessful"),
    rateLimited: (_retryAfter, limit) => ({
      status: 429,
      headers: { "X-Rate-Limit-Problem": limit ?? "minute", "Content-Type": "text/plain; charset=utf-8" },
      body: "Rate limit exceeded",
    }),
    serverError: () => problem(503, "Service Unavailable", "The Xero API is temporarily unavailable"),
  },
  limiter: (scale) => xeroLimiter(scale),
  handle: (request, dataset) => handleXero(request, dataset),
  webhook: (change, secret, tenantId) => xeroWebhook(change, secret, tenantId),
  intentToReceive: (secret) => xeroIntentToReceive(secret),
  groundTruthColumns(row) {
    const resource = RESOURCE_OF_OBJECT.get(row.object);
    const guid = xeroGuid(row.object, row.id);
    if (!resource) return { guid };
    if (row.deleted) return { guid, status: resource.deletedStatus };
    const stored = row.data?.[resource.statusField];
    const status = typeof stored === "string" ? stored : resource.name === "Invoices" ? generatedInvoiceStatus(row.object, row.id) : resource.generatedStatus;
    return { guid, status, ...(resource.name === "Invoices" ? { voided: status === "VOIDED" } : {}) };
  },
};
