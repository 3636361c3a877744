// The platforms Tributary supports, as the dashboard, Link, the engine and the API describe them:
// each platform's definition (lib/platforms/<key>/definition.ts), in registry order. Server-side: the
// registry brings connectors and emulators with it, so client components get what they need as props.
import type { PlatformAuthKind, PlatformCategory, PlatformDefinition } from "./definition";
export { AUTH_LABELS, CATEGORY_LABELS } from "./definition";
import { PLATFORMS } from "./registry";

export type { PlatformAuthKind, PlatformCategory, PlatformDefinition };

export type PlatformKey = (typeof PLATFORMS)[number]["definition"]["key"];

export const PLATFORM_CATALOG: readonly PlatformDefinition<PlatformKey>[] = PLATFORMS.map((platform) => platform.definition);

export const PLATFORM_KEYS: readonly PlatformKey[] = PLATFORM_CATALOG.map((platform) => platform.key);

export function isPlatformKey(value: string): value is PlatformKey {
  return (PLATFORM_KEYS as readonly string[]).includes(value);
}

export function getPlatform(key: string): PlatformDefinition | undefined {
  return PLATFORM_CATALOG.find((platform) => platform.key === key);
}

/** The platform's display name, or its raw key for a connector this build does not know. */
export function platformName(key: string): string {
  return getPlatform(key)?.name ?? key;
}

/**
 * object key → its part of event types, from the definitions (ORDER for orders). Platforms of one
 * category share object keys, and a test holds them to one event name per key.
 */
const EVENT_NAMES = new Map<string, string>(PLATFORM_CATALOG.flatMap((platform) => platform.objects.map((object) => [object.key, object.event] as const)));

/** orders → ORDER: the object's part of an event type (ORDER_CREATED, ORDER_SYNC_STARTED). */
export function objectEventName(object: string): string {
  const name = EVENT_NAMES.get(object);
  if (!name) throw new Error(`No platform defines the object "${object}"`);
  return name;
}

/** Every object's event name, sorted (ORDER, INVOICE, COMMENT…). */
export function objectEventNames(): string[] {
  return [...new Set(EVENT_NAMES.values())].sort();
}
