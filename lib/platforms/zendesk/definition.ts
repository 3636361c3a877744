// Zendesk Support: help desks' organizations, users, tickets and comments (Support API v2).
import { handleField, type PlatformDefinition } from "../definition";

export const zendeskDefinition = {
  key: "zendesk",
  name: "Zendesk",
  category: "ticketing",
  description: "Help desks on Zendesk Support: organizations, users, tickets and their comments.",
  auth: "oauth2",
  // Incremental exports run by update time and take no creation window: initial batches read them whole.
  objects: [
    { key: "organizations", event: "ORGANIZATION", supportsWindow: false, supportsUpdatedSince: true },
    {
      key: "users",
      event: "USER",
      dependsOn: ["organizations"],
      supportsWindow: false,
      supportsUpdatedSince: true,
      filters: [{ name: "organization_id", description: "Only the users of this organization" }],
    },
    {
      key: "tickets",
      event: "TICKET",
      dependsOn: ["users", "organizations"],
      supportsWindow: false,
      supportsUpdatedSince: true,
      filters: [{ name: "organization_id", description: "Only the tickets of this organization" }],
    },
    {
      key: "comments",
      event: "COMMENT",
      dependsOn: ["tickets", "users"],
      supportsWindow: false,
      supportsUpdatedSince: true,
      filters: [{ name: "ticket_id", description: "Only the comments of this ticket" }],
    },
  ],
  // The Support API's Enterprise plan: 700 requests per minute.
  rateLimit: { requestsPerSecond: 700 / 60, burst: 20 },
  link: {
    accountField: handleField(
      { label: "Zendesk subdomain", placeholder: "your-company", suffix: ".zendesk.com", hint: "The first part of your help desk's address." },
      /\.zendesk\.com$/,
    ),
    scopes: ["read"],
    scopeSeparator: " ",
  },
  logo: { background: "#03363d", foreground: "#ffffff", glyph: "Z" },
} as const satisfies PlatformDefinition<"zendesk">;
