// Every connector this build ships, by key. Adding a platform is one folder under lib/platforms/
// plus one line here and one entry in catalog.ts.
import { quickbooksConnector } from "./quickbooks/connector";
import { shopifyConnector } from "./shopify/connector";
import type { Connector } from "./types";
import { zendeskConnector } from "./zendesk/connector";

export const CONNECTORS: Readonly<Record<string, Connector>> = {
  shopify: shopifyConnector,
  quickbooks: quickbooksConnector,
  zendesk: zendeskConnector,
};

export function getConnector(key: string): Connector {
  const connector = CONNECTORS[key];
  if (!connector) throw new Error(`No connector for platform "${key}"`);
  return connector;
}
