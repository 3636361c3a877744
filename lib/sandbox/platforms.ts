// Every emulated platform the sandbox server serves: each registered platform's sandbox/.
import { PLATFORMS } from "@/lib/platforms/registry";
import type { SandboxPlatform } from "./platform";

export const SANDBOX_PLATFORMS: SandboxPlatform[] = PLATFORMS.map((platform) => platform.sandbox);
