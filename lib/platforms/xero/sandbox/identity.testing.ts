// A stand-in for Xero's sandbox platform with its identity service and a one-endpoint data API, so
// tests of sign-in and tenants depend on identity.ts alone: the tenant in xero-tenant-id, Bearer
// credentials, GET /api.xro/2.0/* answering 200.
import { quickbooks } from "@/lib/platforms/quickbooks/sandbox/platform";
import { json } from "@/lib/sandbox/http";
import type { SandboxPlatform } from "@/lib/sandbox/platform";
import { xeroCredential, xeroIdentity, XERO_SCOPES, xeroUnauthorized } from "./identity";

export const xeroIdentityPlatform: SandboxPlatform = {
  ...quickbooks,
  key: "xero",
  name: "Xero",
  scopes: XERO_SCOPES,
  acceptsApiKeys: false,
  route: (path, headers) =>
    path.startsWith("/api.xro/2.0/") && headers["xero-tenant-id"] ? { accountId: headers["xero-tenant-id"], path: path.slice("/api.xro/2.0".length) } : null,
  credential: xeroCredential,
  errors: { ...quickbooks.errors, unauthorized: (reason) => xeroUnauthorized(reason) },
  oauth: xeroIdentity,
  handle: () => json(200, { Organisations: [] }),
};
