// Ledgerly: a platform that exists only in tests. It is what "Adding a platform" (README) asks a
// contributor to write, kept small: a folder like lib/platforms/zendesk, registered by one line (the
// tests add that line with vi.mock), proving the rest of Tributary needs nothing else.
import type { PlatformDefinition } from "../../definition";
import { handleField } from "../../definition";

export const ledgerlyDefinition = {
  key: "ledgerly",
  name: "Ledgerly",
  category: "accounting",
  description: "Tax tables on Ledgerly: tax classes and their rates.",
  auth: "oauth2",
  objects: [
    // Not TAX_CLASSE: event names are written out, not derived from the key.
    { key: "tax_classes", event: "TAX_CLASS", supportsWindow: true, supportsUpdatedSince: true },
    {
      key: "tax_rates",
      event: "TAX_RATE",
      dependsOn: ["tax_classes"],
      supportsWindow: true,
      supportsUpdatedSince: true,
      filters: [{ name: "tax_class_id", description: "Only the rates of this tax class" }],
    },
  ],
  // Allowed as Xero allows its tenants: per second, and 5,000 requests per rolling 24 hours.
  rateLimit: { requestsPerSecond: 10, burst: 10, daily: { requests: 5_000, window: "rolling_24h" } },
  link: {
    accountField: handleField(
      { label: "Ledgerly workspace", placeholder: "your-workspace", suffix: ".ledgerly.test", hint: "The first part of your workspace's address." },
      /\.ledgerly\.test$/,
    ),
    scopes: ["tax:read"],
    scopeSeparator: " ",
  },
  logo: { background: "#1e3a8a", foreground: "#ffffff", glyph: "L" },
} as const satisfies PlatformDefinition<"ledgerly">;
