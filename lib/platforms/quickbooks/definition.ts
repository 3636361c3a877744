// QuickBooks Online: companies' books (Accounting API v3).
import type { PlatformDefinition } from "../definition";

export const quickbooksDefinition = {
  key: "quickbooks",
  name: "QuickBooks Online",
  category: "accounting",
  description: "Companies on QuickBooks Online: chart of accounts, vendors, customers, bills, invoices, expenses and payments.",
  // The sandbox emulator also issues API keys, which Link's key form accepts.
  auth: "oauth2_or_api_key",
  // Every entity's query filters by MetaData times and TxnDate/creation time alike.
  objects: [
    { key: "accounts", event: "ACCOUNT", supportsWindow: true, supportsUpdatedSince: true },
    { key: "vendors", event: "VENDOR", supportsWindow: true, supportsUpdatedSince: true },
    { key: "customers", event: "CUSTOMER", supportsWindow: true, supportsUpdatedSince: true },
    { key: "bills", event: "BILL", dependsOn: ["vendors", "accounts"], supportsWindow: true, supportsUpdatedSince: true },
    { key: "invoices", event: "INVOICE", dependsOn: ["customers"], supportsWindow: true, supportsUpdatedSince: true },
    { key: "expenses", event: "EXPENSE", dependsOn: ["vendors", "accounts"], supportsWindow: true, supportsUpdatedSince: true },
    { key: "payments", event: "PAYMENT", dependsOn: ["customers", "invoices"], supportsWindow: true, supportsUpdatedSince: true },
  ],
  // 500 requests per minute per company.
  rateLimit: { requestsPerSecond: 500 / 60, burst: 10 },
  link: {
    // The consent page lets the user choose the company; the callback names it (realmId).
    accountField: null,
    apiKeyAccountField: {
      label: "Company ID",
      placeholder: "9130 3571 2345 678",
      hint: "In QuickBooks: Settings → Account and settings → Billing & subscription.",
      parse: (value) => {
        const id = value.replace(/[\s-]/g, "");
        return /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : null;
      },
    },
    scopes: ["com.intuit.quickbooks.accounting"],
    scopeSeparator: " ",
  },
  logo: { background: "#2ca01c", foreground: "#ffffff", glyph: "qb" },
} as const satisfies PlatformDefinition<"quickbooks">;
