// Every emulated platform the sandbox server serves.
import type { SandboxPlatform } from "./platform";
import { quickbooks } from "@/lib/platforms/quickbooks/sandbox/platform";
import { shopify } from "@/lib/platforms/shopify/sandbox/platform";
import { zendesk } from "@/lib/platforms/zendesk/sandbox/platform";

export const SANDBOX_PLATFORMS: SandboxPlatform[] = [shopify, quickbooks, zendesk];
