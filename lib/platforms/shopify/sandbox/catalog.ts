// The commerce sandbox's vocabulary, and the parts of products and customers that orders repeat.
//
// An order's line items name a product, a variant, its title and price; its customer block repeats
// the customer's name, email and address. `build` only receives another record's id (ref), not the
// record, so what orders repeat is a pure function of the referenced id (catalogProduct,
// customerIdentity), shared by the product/customer builders and the order builder: a line item always
// shows the title, sku and price its variant has. The price of the moment, stock, status and tags
// still come from the account's seeded stream, so accounts with different seeds differ.
import { Rng } from "@/lib/sandbox/random";

/** Shopify ids are large integers (products ~8e12 today); ranges kept far apart per resource. */
export const ID_BASE = {
  products: 8_000_000_000_000,
  custom_collections: 400_000_000_000,
  customers: 6_000_000_000_000,
  orders: 5_000_000_000_000,
} as const;

/** Nested ids derive from the parent id: parent offset × slots + position, in their own ranges. */
const VARIANT_ID_BASE = 44_000_000_000_000;
const INVENTORY_ITEM_ID_BASE = 46_000_000_000_000;
const OPTION_ID_BASE = 10_000_000_000_000;
const ADDRESS_ID_BASE = 7_500_000_000_000;
export const MAX_VARIANTS = 4;

/** The inventory item of a product's variant at `position` (1-based). */
export function inventoryItemId(productId: number, position: number): number {
  return INVENTORY_ITEM_ID_BASE + (productId - ID_BASE.products) * MAX_VARIANTS + position;
}

export function variantId(productId: number, position: number): number {
  return VARIANT_ID_BASE + (productId - ID_BASE.products) * MAX_VARIANTS + position;
}

export function addressId(customerId: number): number {
  return ADDRESS_ID_BASE + (customerId - ID_BASE.customers);
}

export function optionId(productId: number): number {
  return OPTION_ID_BASE + (productId - ID_BASE.products);
}

interface ProductType {
  name: string;
  code: string;
  nouns: readonly string[];
  materials: readonly string[];
  option: { name: string; values: readonly string[] };
  /** Price range in cents. */
  price: [number, number];
  grams: [number, number];
}

const COLORS = ["Black", "White", "Navy", "Sand", "Olive", "Terracotta", "Charcoal", "Sage"];

const PRODUCT_TYPES: readonly ProductType[] = [
  {
    name: "Apparel",
    code: "APP",
    nouns: ["T-Shirt", "Hoodie", "Sweater", "Jacket", "Beanie", "Overshirt", "Joggers"],
    materials: ["Cotton", "Linen", "Merino", "Organic Cotton", "Fleece", "Recycled"],
    option: { name: "Size", values: ["XS", "S", "M", "L", "XL"] },
    price: [1800, 14_900],
    grams: [150, 900],
  },
  {
    name: "Footwear",
    code: "FTW",
    nouns: ["Sneakers", "Sandals", "Boots", "Slippers", "Loafers"],
    materials: ["Leather", "Suede", "Canvas", "Recycled"],
    option: { name: "Size", values: ["7", "8", "9", "10", "11", "12"] },
    price: [3900, 22_000],
    grams: [400, 1400],
  },
  {
    name: "Home",
    code: "HOM",
    nouns: ["Mug", "Candle", "Throw Blanket", "Planter", "Cutting Board", "Vase", "Cushion Cover"],
    materials: ["Ceramic", "Stoneware", "Oak", "Bamboo", "Soy Wax", "Wool"],
    option: { name: "Color", values: COLORS },
    price: [1200, 12_000],
    grams: [200, 2500],
  },
  {
    name: "Accessories",
    code: "ACC",
    nouns: ["Tote Bag", "Wallet", "Scarf", "Sunglasses", "Backpack", "Cap", "Belt"],
    materials: ["Leather", "Canvas", "Wool", "Nylon", "Cork"],
    option: { name: "Color", values: COLORS },
    price: [1500, 18_000],
    grams: [50, 1200],
  },
  {
    name: "Stationery",
    code: "STA",
    nouns: ["Notebook", "Pen Set", "Planner", "Sketchbook", "Desk Organizer"],
    materials: ["Recycled Paper", "Linen", "Kraft", "Brass"],
    option: { name: "Color", values: COLORS },
    price: [600, 6500],
    grams: [80, 900],
  },
];

const PRODUCT_ADJECTIVES = ["Classic", "Everyday", "Essential", "Vintage", "Modern", "Heritage", "Minimal", "Coastal", "Alpine", "Urban", "Soft", "Rugged"];
const VENDORS = ["Northwind Goods", "Juniper & Co", "Field Studio", "Harbor Supply", "Kestrel Works", "Oakline"];
const COLLECTION_THEMES = [
  "Summer",
  "Winter",
  "Weekend",
  "Holiday",
  "Back to School",
  "Travel",
  "Gift",
  "New Arrivals",
  "Best Sellers",
  "Outdoor",
  "Studio",
  "Limited",
];
const COLLECTION_NOUNS = ["Essentials", "Edit", "Collection", "Picks", "Favorites", "Shop", "Capsule"];

const FIRST_NAMES = [
  "Olivia",
  "Liam",
  "Emma",
  "Noah",
  "Ava",
  "Mateo",
  "Sofia",
  "Lucas",
  "Mia",
  "Ethan",
  "Amara",
  "Hiro",
  "Chloé",
  "Jonas",
  "Priya",
  "Omar",
  "Leah",
  "Kofi",
  "Ingrid",
  "Diego",
  "Nora",
  "Wei",
  "Fatima",
  "Sven",
  "Grace",
  "Arjun",
  "Isla",
  "Mason",
  "Yara",
  "Felix",
];
const LAST_NAMES = [
  "Smith",
  "Johnson",
  "Garcia",
  "Nguyen",
  "Müller",
  "Rossi",
  "Okafor",
  "Tanaka",
  "Dubois",
  "Patel",
  "Kowalski",
  "Brown",
  "Cohen",
  "Hansen",
  "Martin",
  "Silva",
  "Wilson",
  "Taylor",
  "Lee",
  "Andersen",
  "Moreau",
  "Khan",
  "O'Brien",
  "Schmidt",
];
const EMAIL_DOMAINS = ["example.com", "example.net", "example.org", "mail.example"];

export interface Place {
  city: string;
  province: string | null;
  province_code: string | null;
  country: string;
  country_code: string;
  zip: string;
  currency: string;
  tax: { title: string; rate: number };
}

const US_TAX = { title: "Sales Tax", rate: 0.0725 };
const PLACES: readonly Place[] = [
  {
    city: "New York",
    province: "New York",
    province_code: "NY",
    country: "United States",
    country_code: "US",
    zip: "10001",
    currency: "USD",
    tax: { title: "NY State Tax", rate: 0.08875 },
  },
  { city: "Austin", province: "Texas", province_code: "TX", country: "United States", country_code: "US", zip: "78701", currency: "USD", tax: US_TAX },
  {
    city: "Portland",
    province: "Oregon",
    province_code: "OR",
    country: "United States",
    country_code: "US",
    zip: "97205",
    currency: "USD",
    tax: { title: "Sales Tax", rate: 0 },
  },
  {
    city: "Chicago",
    province: "Illinois",
    province_code: "IL",
    country: "United States",
    country_code: "US",
    zip: "60601",
    currency: "USD",
    tax: { title: "IL State Tax", rate: 0.1025 },
  },
  { city: "San Diego", province: "California", province_code: "CA", country: "United States", country_code: "US", zip: "92101", currency: "USD", tax: US_TAX },
  {
    city: "Denver",
    province: "Colorado",
    province_code: "CO",
    country: "United States",
    country_code: "US",
    zip: "80202",
    currency: "USD",
    tax: { title: "CO State Tax", rate: 0.0881 },
  },
  {
    city: "Toronto",
    province: "Ontario",
    province_code: "ON",
    country: "Canada",
    country_code: "CA",
    zip: "M5V 2T6",
    currency: "CAD",
    tax: { title: "HST", rate: 0.13 },
  },
  {
    city: "Vancouver",
    province: "British Columbia",
    province_code: "BC",
    country: "Canada",
    country_code: "CA",
    zip: "V6B 1A1",
    currency: "CAD",
    tax: { title: "GST", rate: 0.05 },
  },
  {
    city: "London",
    province: null,
    province_code: null,
    country: "United Kingdom",
    country_code: "GB",
    zip: "EC1A 1BB",
    currency: "GBP",
    tax: { title: "VAT", rate: 0.2 },
  },
  {
    city: "Manchester",
    province: null,
    province_code: null,
    country: "United Kingdom",
    country_code: "GB",
    zip: "M1 1AE",
    currency: "GBP",
    tax: { title: "VAT", rate: 0.2 },
  },
  {
    city: "Berlin",
    province: null,
    province_code: null,
    country: "Germany",
    country_code: "DE",
    zip: "10115",
    currency: "EUR",
    tax: { title: "MwSt", rate: 0.19 },
  },
  {
    city: "Paris",
    province: null,
    province_code: null,
    country: "France",
    country_code: "FR",
    zip: "75001",
    currency: "EUR",
    tax: { title: "TVA", rate: 0.2 },
  },
  {
    city: "Amsterdam",
    province: null,
    province_code: null,
    country: "Netherlands",
    country_code: "NL",
    zip: "1012 AB",
    currency: "EUR",
    tax: { title: "BTW", rate: 0.21 },
  },
  {
    city: "Sydney",
    province: "New South Wales",
    province_code: "NSW",
    country: "Australia",
    country_code: "AU",
    zip: "2000",
    currency: "AUD",
    tax: { title: "GST", rate: 0.1 },
  },
];
const STREETS = ["Main St", "Oak Ave", "High Street", "Market St", "King St", "Elm Rd", "Harbour Rd", "Park Lane", "Mill Rd", "Bridge St"];

export interface CatalogVariant {
  id: number;
  inventoryItemId: number;
  position: number;
  title: string;
  option1: string;
  sku: string;
  priceCents: number;
  grams: number;
}

export interface CatalogProduct {
  title: string;
  productType: string;
  vendor: string;
  optionName: string;
  optionValues: string[];
  variants: CatalogVariant[];
}

/** The identity of a product (title, variants, list prices): a pure function of its id. */
export function catalogProduct(productId: number): CatalogProduct {
  const rng = new Rng("shopify", "catalog", productId);
  const type = rng.pick(PRODUCT_TYPES);
  const title = `${rng.pick(PRODUCT_ADJECTIVES)} ${rng.pick(type.materials)} ${rng.pick(type.nouns)}`;
  const offset = productId - ID_BASE.products;
  const count = rng.int(1, MAX_VARIANTS);
  const basePrice = roundPrice(rng.int(type.price[0], type.price[1]));
  const grams = rng.int(type.grams[0], type.grams[1]);
  const start = rng.int(0, type.option.values.length - count);
  const values = count === 1 ? ["Default Title"] : type.option.values.slice(start, start + count);
  const variants = values.map((value, i) => ({
    id: variantId(productId, i + 1),
    inventoryItemId: inventoryItemId(productId, i + 1),
    position: i + 1,
    title: value,
    option1: value,
    sku: `${type.code}-${String(offset).padStart(6, "0")}${count === 1 ? "" : `-${value.toUpperCase().replace(/\s+/g, "")}`}`,
    // Larger sizes cost a little more, as real catalogs price them.
    priceCents: type.option.name === "Size" && i >= 3 ? basePrice + 500 : basePrice,
    grams,
  }));
  return {
    title,
    productType: type.name,
    vendor: rng.pick(VENDORS),
    optionName: count === 1 ? "Title" : type.option.name,
    optionValues: values,
    variants,
  };
}

export interface CustomerIdentity {
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
  address1: string;
  place: Place;
}

/** Who a customer is (name, email, address): a pure function of the customer id. */
export function customerIdentity(customerId: number): CustomerIdentity {
  const rng = new Rng("shopify", "customer", customerId);
  const firstName = rng.pick(FIRST_NAMES);
  const lastName = rng.pick(LAST_NAMES);
  const local = `${ascii(firstName)}.${ascii(lastName)}${rng.chance(0.6) ? rng.int(1, 999) : ""}`;
  return {
    firstName,
    lastName,
    email: `${local}@${rng.pick(EMAIL_DOMAINS)}`,
    phone: rng.chance(0.4) ? `+1555${String(rng.int(0, 9_999_999)).padStart(7, "0")}` : null,
    address1: `${rng.int(1, 2400)} ${rng.pick(STREETS)}`,
    place: rng.pick(PLACES),
  };
}

export function collectionTitle(rng: Rng): string {
  return `${rng.pick(COLLECTION_THEMES)} ${rng.pick(COLLECTION_NOUNS)}`;
}

export function slug(text: string): string {
  return ascii(text)
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

const asciiCache = new Map<string, string>();

/** Names come from small word lists; caching their folding saves ~6 µs an order. */
function ascii(text: string): string {
  let folded = asciiCache.get(text);
  if (folded === undefined) {
    folded = text
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/'/g, "")
      .toLowerCase();
    if (asciiCache.size < 10_000) asciiCache.set(text, folded);
  }
  return folded;
}

/** Retail prices end in .00, .50 or .95. */
function roundPrice(cents: number): number {
  const whole = Math.floor(cents / 100) * 100;
  const ending = [0, 50, 95][cents % 3];
  return whole + ending;
}
