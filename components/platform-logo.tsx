// A platform's mark in its brand colour, drawn here so Link and the dashboard need no remote images.
const MARKS: Record<string, { background: string; foreground: string; glyph: string }> = {
  shopify: { background: "#5e8e3e", foreground: "#ffffff", glyph: "S" },
  quickbooks: { background: "#2ca01c", foreground: "#ffffff", glyph: "qb" },
  zendesk: { background: "#03363d", foreground: "#ffffff", glyph: "Z" },
};

export function PlatformLogo({ platform, size = 40 }: { platform: string; size?: number }) {
  const mark = MARKS[platform] ?? { background: "#64748b", foreground: "#ffffff", glyph: platform.charAt(0).toUpperCase() };
  return (
    <svg width={size} height={size} viewBox="0 0 40 40" aria-hidden="true" className="shrink-0">
      <rect width="40" height="40" rx="9" fill={mark.background} />
      <text
        x="20"
        y="21"
        textAnchor="middle"
        dominantBaseline="middle"
        fontFamily="ui-sans-serif, system-ui, sans-serif"
        fontWeight="700"
        fontSize={mark.glyph.length > 1 ? 17 : 21}
        fill={mark.foreground}
      >
        {mark.glyph}
      </text>
    </svg>
  );
}
