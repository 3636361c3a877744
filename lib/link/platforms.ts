// How Link presents each platform to an end user: which account identifier the platform's sign-in
// needs before OAuth (a Shopify store's address, a Zendesk subdomain), the OAuth scopes Tributary
// asks for, and readable names for the objects a team will read.
import { getPlatform, type PlatformDefinition } from "@/lib/platforms/catalog";

export interface LinkAccountField {
  label: string;
  placeholder: string;
  hint: string;
  /** Shown after the input, e.g. ".myshopify.com". */
  suffix?: string;
  /** Normalizes what was typed into the platform's account id, or null when it cannot be one. */
  parse(value: string): string | null;
}

const handle = (suffix: RegExp) => (value: string) => {
  const cleaned = value
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, "")
    .replace(/\/.*$/, "")
    .replace(suffix, "");
  return /^[a-z0-9][a-z0-9-]{0,62}$/.test(cleaned) ? cleaned : null;
};

export interface LinkPlatform {
  /** The field asked for before OAuth; null when the platform's consent page lets the user choose. */
  accountField: LinkAccountField | null;
  scopes: string[];
  scopeSeparator: " " | ",";
  /** What the API-key form asks for (platforms that accept keys). */
  apiKeyAccountField?: LinkAccountField;
}

const LINK_PLATFORMS: Record<string, LinkPlatform> = {
  shopify: {
    accountField: { label: "Store address", placeholder: "your-store", suffix: ".myshopify.com", hint: "The address you sign in to Shopify admin with.", parse: handle(/\.myshopify\.com$/) },
    scopes: ["read_products", "read_customers", "read_orders"],
    scopeSeparator: ",",
  },
  quickbooks: {
    accountField: null,
    scopes: ["com.intuit.quickbooks.accounting"],
    scopeSeparator: " ",
    apiKeyAccountField: {
      label: "Company ID",
      placeholder: "9130 3571 2345 678",
      hint: "In QuickBooks: Settings → Account and settings → Billing & subscription.",
      parse: (value) => {
        const id = value.replace(/[\s-]/g, "");
        return /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : null;
      },
    },
  },
  zendesk: {
    accountField: { label: "Zendesk subdomain", placeholder: "your-company", suffix: ".zendesk.com", hint: "The first part of your help desk's address.", parse: handle(/\.zendesk\.com$/) },
    scopes: ["read"],
    scopeSeparator: " ",
  },
};

export function linkPlatform(key: string): (LinkPlatform & { definition: PlatformDefinition }) | null {
  const definition = getPlatform(key);
  const link = LINK_PLATFORMS[key];
  return definition && link ? { ...link, definition } : null;
}

export const acceptsApiKey = (definition: PlatformDefinition) => definition.auth === "oauth2_or_api_key";

/** "bills" → "Bills", "credit_notes" → "Credit notes". */
export const objectLabel = (object: string) => object.charAt(0).toUpperCase() + object.slice(1).replace(/_/g, " ");
