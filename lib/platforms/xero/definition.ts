// Xero: organisations' books (Accounting API 2.0).
import type { PlatformDefinition } from "../definition";

export const xeroDefinition = {
  key: "xero",
  name: "Xero",
  category: "accounting",
  description: "Organisations on Xero: chart of accounts, suppliers, customers, bills, invoices, spend money and customer payments.",
  auth: "oauth2",
  // Invoices (bills too), BankTransactions and Payments filter by their document Date in `where`,
  // which is the creation window; Accounts and Contacts carry no date but UpdatedDateUTC, so they are
  // read whole in the first batch. Every endpoint answers If-Modified-Since (UpdatedDateUTC).
  objects: [
    { key: "accounts", event: "ACCOUNT", supportsWindow: false, supportsUpdatedSince: true },
    { key: "vendors", event: "VENDOR", supportsWindow: false, supportsUpdatedSince: true },
    { key: "customers", event: "CUSTOMER", supportsWindow: false, supportsUpdatedSince: true },
    { key: "bills", event: "BILL", dependsOn: ["vendors", "accounts"], supportsWindow: true, supportsUpdatedSince: true },
    { key: "invoices", event: "INVOICE", dependsOn: ["customers"], supportsWindow: true, supportsUpdatedSince: true },
    { key: "expenses", event: "EXPENSE", dependsOn: ["vendors", "accounts"], supportsWindow: true, supportsUpdatedSince: true },
    { key: "payments", event: "PAYMENT", dependsOn: ["customers", "invoices"], supportsWindow: true, supportsUpdatedSince: true },
  ],
  // 60 calls a minute per organisation and app, at most 5 in flight at once, and 5,000 calls per
  // organisation in any 24 hours (X-DayLimit-Remaining): a connection that has spent them pauses
  // until the window frees (lib/sync/quota.ts).
  rateLimit: { requestsPerSecond: 1, burst: 5, daily: { requests: 5000, window: "rolling_24h" } },
  link: {
    // The consent page lets the user choose the organisation; the connection's account is its tenant
    // id, read from GET /connections after the token exchange.
    accountField: null,
    // Read-only granular scopes: apps created on or after 2 March 2026 can no longer ask for the broad
    // accounting.transactions(.read), which these three replace (older apps could ask for them from
    // April 2026, and must by September 2027). Contacts and settings (the chart of accounts) keep
    // their scopes.
    scopes: [
      "offline_access",
      "accounting.invoices.read",
      "accounting.payments.read",
      "accounting.banktransactions.read",
      "accounting.contacts.read",
      "accounting.settings.read",
    ],
    scopeSeparator: " ",
  },
  logo: { background: "#13B5EA", foreground: "#ffffff", glyph: "x" },
} as const satisfies PlatformDefinition<"xero">;
