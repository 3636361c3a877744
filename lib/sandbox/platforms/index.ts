// Every emulated platform the sandbox server serves.
import type { SandboxPlatform } from "../platform";
import { quickbooks } from "./quickbooks/platform";
import { shopify } from "./shopify/platform";
import { zendesk } from "./zendesk/platform";

export const SANDBOX_PLATFORMS: SandboxPlatform[] = [shopify, quickbooks, zendesk];
