// Ledgerly, whole (tests only): definition, connector, emulator.
import type { Platform } from "../../types";
import { ledgerlyConnector } from "./connector";
import { ledgerlyDefinition } from "./definition";
import { ledgerly as sandbox } from "./sandbox/platform";

export const ledgerly = { definition: ledgerlyDefinition, connector: ledgerlyConnector, sandbox } satisfies Platform;
