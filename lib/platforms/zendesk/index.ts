// Zendesk, whole: what it is (definition.ts), how Tributary reads it (connector.ts) and the emulator the
// sandbox serves in its place (sandbox/). The registry (lib/platforms/registry.ts) lists this.
import type { Platform } from "../types";
import { zendeskConnector } from "./connector";
import { zendeskDefinition } from "./definition";
import { zendesk as sandbox } from "./sandbox/platform";

export const zendesk = { definition: zendeskDefinition, connector: zendeskConnector, sandbox } satisfies Platform;
