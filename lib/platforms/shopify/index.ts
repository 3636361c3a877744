// Shopify, whole: what it is (definition.ts), how Tributary reads it (connector.ts) and the emulator the
// sandbox serves in its place (sandbox/). The registry (lib/platforms/registry.ts) lists this.
import type { Platform } from "../types";
import { shopifyConnector } from "./connector";
import { shopifyDefinition } from "./definition";
import { shopify as sandbox } from "./sandbox/platform";

export const shopify = { definition: shopifyDefinition, connector: shopifyConnector, sandbox } satisfies Platform;
