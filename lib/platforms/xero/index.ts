// Xero, whole: what it is (definition.ts), how Tributary reads it (connector.ts) and the emulator the
// sandbox serves in its place (sandbox/). The registry (lib/platforms/registry.ts) lists this.
import type { Platform } from "../types";
import { xeroConnector } from "./connector";
import { xeroDefinition } from "./definition";
import { xero as sandbox } from "./sandbox/platform";

export const xero = { definition: xeroDefinition, connector: xeroConnector, sandbox } satisfies Platform;
