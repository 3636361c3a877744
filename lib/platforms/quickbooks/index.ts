// QuickBooks Online, whole: what it is (definition.ts), how Tributary reads it (connector.ts) and the emulator the
// sandbox serves in its place (sandbox/). The registry (lib/platforms/registry.ts) lists this.
import type { Platform } from "../types";
import { quickbooksConnector } from "./connector";
import { quickbooksDefinition } from "./definition";
import { quickbooks as sandbox } from "./sandbox/platform";

export const quickbooks = { definition: quickbooksDefinition, connector: quickbooksConnector, sandbox } satisfies Platform;
