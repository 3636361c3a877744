// Every platform this build ships. Adding one is a folder under lib/platforms/<key> (definition.ts,
// connector.ts, sandbox/, index.ts) and one line here; the catalogue, Link, the engine, sync jobs,
// events and the sandbox server all derive from this list (README: "Adding a platform").
import { quickbooks } from "./quickbooks";
import { shopify } from "./shopify";
import { xero } from "./xero";
import { zendesk } from "./zendesk";

export const PLATFORMS = [shopify, quickbooks, xero, zendesk] as const;
