// How Link presents each platform to an end user: its definition's `link` part (the account field
// asked for before OAuth, the API-key form's field, the default scopes), beside the definition.
import { getPlatform, type PlatformDefinition } from "@/lib/platforms/catalog";
import type { LinkAccountField } from "@/lib/platforms/definition";

export { acceptsApiKey } from "@/lib/platforms/definition";
export type { LinkAccountField };

export type LinkPlatform = PlatformDefinition["link"];

export function linkPlatform(key: string): (LinkPlatform & { definition: PlatformDefinition }) | null {
  const definition = getPlatform(key);
  return definition ? { ...definition.link, definition } : null;
}
