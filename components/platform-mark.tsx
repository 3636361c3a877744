// A platform's mark in its brand colour (its definition's `logo`), drawn here so Link and the
// dashboard need no remote images. Takes the mark itself, so client components can draw it from props.
import type { PlatformDefinition } from "@/lib/platforms/definition";

export type PlatformMarkSpec = PlatformDefinition["logo"];

export function PlatformMark({ logo, size = 40 }: { logo: PlatformMarkSpec; size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 40 40" aria-hidden="true" className="shrink-0">
      <rect width="40" height="40" rx="9" fill={logo.background} />
      <text
        x="20"
        y="21"
        textAnchor="middle"
        dominantBaseline="middle"
        fontFamily="ui-sans-serif, system-ui, sans-serif"
        fontWeight="700"
        fontSize={logo.glyph.length > 1 ? 17 : 21}
        fill={logo.foreground}
      >
        {logo.glyph}
      </text>
    </svg>
  );
}
