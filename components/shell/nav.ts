// The dashboard's sections (DESIGN.md section 7), in sidebar order.
export interface NavItem {
  href: string;
  label: string;
  icon: keyof typeof ICONS;
}

export const NAV_ITEMS: NavItem[] = [
  { href: "/", label: "Overview", icon: "overview" },
  { href: "/connections", label: "Connections", icon: "connections" },
  { href: "/platforms", label: "Platforms", icon: "platforms" },
  { href: "/coverage", label: "Field coverage", icon: "coverage" },
  { href: "/sync-configuration", label: "Sync configuration", icon: "config" },
  { href: "/webhooks", label: "Webhooks", icon: "webhooks" },
  { href: "/sync-jobs", label: "Sync jobs", icon: "jobs" },
  { href: "/api-keys", label: "API keys", icon: "keys" },
  { href: "/api-reference", label: "API reference", icon: "reference" },
  { href: "/readme", label: "README", icon: "docs" },
  { href: "/settings", label: "Settings", icon: "settings" },
];

/** Whether `item` is the section `pathname` is in. */
export function isActive(item: NavItem, pathname: string): boolean {
  return item.href === "/" ? pathname === "/" : pathname === item.href || pathname.startsWith(`${item.href}/`);
}

// 20px stroke icons (paths in a 24-unit box).
export const ICONS = {
  overview: "M3 13h8V3H3v10Zm0 8h8v-6H3v6Zm10 0h8V11h-8v10Zm0-18v6h8V3h-8Z",
  connections: "M10 13a5 5 0 0 0 7.5.5l3-3a5 5 0 0 0-7-7l-1.7 1.7M14 11a5 5 0 0 0-7.5-.5l-3 3a5 5 0 0 0 7 7l1.7-1.7",
  platforms: "M4 7h16M4 12h16M4 17h16M7 4v16",
  coverage: "M4 4h6v6H4V4Zm10 0h6v6h-6V4ZM4 14h6v6H4v-6Zm10.5 3 2 2 3.5-4",
  config: "M4 6h10M18 6h2M4 12h4M12 12h8M4 18h12M20 18h0M14 4v4M8 10v4M16 16v4",
  webhooks: "M18 16.1a4 4 0 1 1-3.5 5.9M9 8.5A4 4 0 1 1 13.5 5M12 12l-3.5 6M12 12h7M12 12 9 6",
  jobs: "M8 6h13M8 12h13M8 18h13M3 6h.01M3 12h.01M3 18h.01",
  keys: "M15 7a4 4 0 1 1-3.9 4.9L3 20v-3l2-2h2v-2h2l1.1-1.1A4 4 0 0 1 15 7Zm1 0h.01",
  reference: "M8 8l-4 4 4 4M16 8l4 4-4 4M13.5 5l-3 14",
  docs: "M6 3h9l4 4v14H6V3Zm9 0v4h4M9 12h7M9 16h7",
  settings:
    "M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6Zm7.4-3a7.4 7.4 0 0 0-.1-1.3l2-1.6-2-3.4-2.4 1a7.5 7.5 0 0 0-2.2-1.3L14.3 3h-4l-.4 2.4a7.5 7.5 0 0 0-2.2 1.3l-2.4-1-2 3.4 2 1.6a7.4 7.4 0 0 0 0 2.6l-2 1.6 2 3.4 2.4-1a7.5 7.5 0 0 0 2.2 1.3l.4 2.4h4l.4-2.4a7.5 7.5 0 0 0 2.2-1.3l2.4 1 2-3.4-2-1.6c.1-.4.1-.9.1-1.3Z",
} as const;
