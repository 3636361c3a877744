// The connectors of every registered platform, by key.
import { PLATFORMS } from "./registry";
import type { Connector } from "./types";

export const CONNECTORS: Readonly<Record<string, Connector>> = Object.fromEntries(PLATFORMS.map((platform) => [platform.definition.key, platform.connector]));

export function getConnector(key: string): Connector {
  const connector = CONNECTORS[key];
  if (!connector) throw new Error(`No connector for platform "${key}"`);
  return connector;
}
