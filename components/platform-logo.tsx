// A platform's mark by key, for server components: the definition's logo, or the key's initial in
// grey for a platform this build does not know.
import { getPlatform } from "@/lib/platforms/catalog";
import { PlatformMark } from "./platform-mark";

export function PlatformLogo({ platform, size = 40 }: { platform: string; size?: number }) {
  const logo = getPlatform(platform)?.logo ?? { background: "#64748b", foreground: "#ffffff", glyph: platform.charAt(0).toUpperCase() };
  return <PlatformMark logo={logo} size={size} />;
}
