// Names, chart of accounts and currencies of the sandbox company. Each is a pure function of a record's
// id, so a transaction can put the referenced entity's name in its `…Ref.name` (as QBO does) without
// building that entity, and the name always agrees with the entity's own DisplayName.
import { hash32 } from "@/lib/sandbox/random";

export const ID_BASES = {
  Account: 0,
  Vendor: 100_000_000,
  Customer: 200_000_000,
  Bill: 300_000_000,
  Invoice: 400_000_000,
  Purchase: 500_000_000,
  Payment: 600_000_000,
} as const;

export interface ChartEntry {
  Name: string;
  AccountType: string;
  AccountSubType: string;
  Classification: "Asset" | "Liability" | "Equity" | "Revenue" | "Expense";
}

/** The chart repeats every CHART.length accounts (later cycles get a numeric suffix: names stay unique). */
export const CHART: readonly ChartEntry[] = [
  { Name: "Checking", AccountType: "Bank", AccountSubType: "Checking", Classification: "Asset" },
  { Name: "Savings", AccountType: "Bank", AccountSubType: "Savings", Classification: "Asset" },
  { Name: "Accounts Receivable (A/R)", AccountType: "Accounts Receivable", AccountSubType: "AccountsReceivable", Classification: "Asset" },
  { Name: "Accounts Payable (A/P)", AccountType: "Accounts Payable", AccountSubType: "AccountsPayable", Classification: "Liability" },
  { Name: "Mastercard", AccountType: "Credit Card", AccountSubType: "CreditCard", Classification: "Liability" },
  { Name: "Sales of Product Income", AccountType: "Income", AccountSubType: "SalesOfProductIncome", Classification: "Revenue" },
  { Name: "Services", AccountType: "Income", AccountSubType: "ServiceFeeIncome", Classification: "Revenue" },
  { Name: "Advertising", AccountType: "Expense", AccountSubType: "AdvertisingPromotional", Classification: "Expense" },
  { Name: "Office Expenses", AccountType: "Expense", AccountSubType: "OfficeGeneralAdministrativeExpenses", Classification: "Expense" },
  { Name: "Rent or Lease", AccountType: "Expense", AccountSubType: "RentOrLeaseOfBuildings", Classification: "Expense" },
  { Name: "Utilities", AccountType: "Expense", AccountSubType: "Utilities", Classification: "Expense" },
  { Name: "Legal & Professional Fees", AccountType: "Expense", AccountSubType: "LegalProfessionalFees", Classification: "Expense" },
  { Name: "Travel", AccountType: "Expense", AccountSubType: "Travel", Classification: "Expense" },
  { Name: "Meals and Entertainment", AccountType: "Expense", AccountSubType: "EntertainmentMeals", Classification: "Expense" },
  { Name: "Insurance", AccountType: "Expense", AccountSubType: "Insurance", Classification: "Expense" },
  { Name: "Job Materials", AccountType: "Cost of Goods Sold", AccountSubType: "SuppliesMaterialsCogs", Classification: "Expense" },
  { Name: "Equipment Rental", AccountType: "Expense", AccountSubType: "EquipmentRental", Classification: "Expense" },
  { Name: "Automobile", AccountType: "Expense", AccountSubType: "Auto", Classification: "Expense" },
  { Name: "Visa", AccountType: "Credit Card", AccountSubType: "CreditCard", Classification: "Liability" },
  { Name: "Undeposited Funds", AccountType: "Other Current Asset", AccountSubType: "UndepositedFunds", Classification: "Asset" },
];

/** Positions in CHART by use. */
export const EXPENSE_ACCOUNTS = [7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17] as const;
export const BANK_ACCOUNTS = [0, 1] as const;
export const CREDIT_CARD_ACCOUNTS = [4, 18] as const;
export const DEPOSIT_ACCOUNTS = [0, 19] as const;

export function chartEntry(accountId: number): ChartEntry {
  return CHART[(accountId - ID_BASES.Account - 1) % CHART.length];
}

export function accountName(accountId: number): string {
  const index = accountId - ID_BASES.Account - 1;
  const cycle = Math.floor(index / CHART.length);
  return cycle === 0 ? CHART[index % CHART.length].Name : `${CHART[index % CHART.length].Name} ${cycle + 1}`;
}

/**
 * An account of one of `positions` near `randomAccountId` (a `ref("Account")` answer): the nearest lower
 * id with a fitting chart position, so the result always exists (ids at or below an existing base id do).
 * Falls back to the random account when no fitting one precedes it (accounts fewer than a chart cycle).
 */
export function fittingAccount(randomAccountId: number, positions: readonly number[], choice: number): number {
  if (randomAccountId <= ID_BASES.Account) return randomAccountId;
  const index = randomAccountId - ID_BASES.Account - 1;
  const position = index % CHART.length;
  const cycleStart = index - position;
  const preferred = positions[Math.floor(choice * positions.length)];
  const below = positions.filter((p) => p <= position);
  if (preferred <= position) return ID_BASES.Account + cycleStart + preferred + 1;
  if (below.length > 0) return ID_BASES.Account + cycleStart + below[below.length - 1] + 1;
  if (cycleStart > 0) return ID_BASES.Account + cycleStart - CHART.length + preferred + 1;
  return randomAccountId;
}

const GIVEN = [
  "Amy",
  "Bill",
  "Carla",
  "Dylan",
  "Elena",
  "Frank",
  "Grace",
  "Hector",
  "Irene",
  "Jamal",
  "Kira",
  "Liam",
  "Maya",
  "Nolan",
  "Olivia",
  "Priya",
  "Quinn",
  "Rosa",
  "Sam",
  "Tara",
  "Umar",
  "Vera",
  "Wes",
  "Xena",
  "Yusuf",
  "Zoe",
  "Aaron",
  "Bianca",
  "Caleb",
  "Dana",
  "Emil",
  "Fatima",
  "Gus",
  "Hana",
  "Ivan",
  "Jade",
  "Kofi",
  "Lena",
  "Marco",
  "Nadia",
];
const FAMILY = [
  "Anderson",
  "Brooks",
  "Castillo",
  "Dubois",
  "Evans",
  "Fischer",
  "Garcia",
  "Hughes",
  "Ito",
  "Jensen",
  "Kowalski",
  "Lopez",
  "Mendes",
  "Nakamura",
  "Okafor",
  "Patel",
  "Quintero",
  "Rossi",
  "Schmidt",
  "Thompson",
  "Ueda",
  "Vargas",
  "Walsh",
  "Xu",
  "Young",
  "Zimmerman",
  "Baker",
  "Cho",
  "Duarte",
  "Eriksen",
  "Flores",
  "Gill",
  "Haddad",
  "Ivanova",
  "Jones",
  "Khan",
  "Larsen",
  "Moreau",
  "Nguyen",
  "Olsen",
];
const VENDOR_STEM = [
  "Norton",
  "Cascade",
  "Redwood",
  "Harbor",
  "Summit",
  "Pioneer",
  "Bluebird",
  "Granite",
  "Maple",
  "Lakeside",
  "Ironwood",
  "Coastal",
  "Evergreen",
  "Silverline",
  "Northgate",
  "Riverside",
  "Sterling",
  "Crescent",
  "Hillcrest",
  "Prairie",
  "Juniper",
  "Orchard",
  "Beacon",
  "Canyon",
  "Meridian",
];
const VENDOR_TRADE = [
  "Lumber",
  "Office Supply",
  "Electric",
  "Plumbing",
  "Consulting",
  "Print Shop",
  "Telecom",
  "Insurance Agency",
  "Fuel",
  "Hardware",
  "Cleaning Services",
  "Logistics",
  "Software",
  "Catering",
  "Equipment Rental",
  "Legal Services",
  "Marketing",
  "Auto Repair",
  "Utilities",
  "Packaging",
];
const VENDOR_SUFFIX = ["Inc.", "LLC", "Co.", "Ltd.", "& Sons", "Group"];
const CITIES = [
  ["San Jose", "CA", "95112"],
  ["Seattle", "WA", "98101"],
  ["Austin", "TX", "78701"],
  ["Denver", "CO", "80202"],
  ["Portland", "OR", "97205"],
  ["Chicago", "IL", "60601"],
  ["Boston", "MA", "02108"],
  ["Atlanta", "GA", "30303"],
  ["Phoenix", "AZ", "85004"],
  ["Miami", "FL", "33130"],
] as const;
const STREETS = ["Main St", "Oak Ave", "Pine St", "Cedar Ln", "Elm St", "Market St", "Lake Dr", "Hill Rd", "Park Blvd", "Mission St"];

/** A bijection of 0..size-1 (multiplying by a prime coprime with the size), so neighbours get unrelated names. */
function spread(index: number, size: number): number {
  return (index * 7919 + 13) % size;
}

function cycleSuffix(index: number, size: number): string {
  const cycle = Math.floor(index / size);
  return cycle === 0 ? "" : ` ${cycle + 1}`;
}

export function customerNames(customerId: number): { GivenName: string; FamilyName: string; DisplayName: string } {
  const index = customerId - ID_BASES.Customer - 1;
  const size = GIVEN.length * FAMILY.length;
  const k = spread(index % size, size);
  const GivenName = GIVEN[k % GIVEN.length];
  const FamilyName = FAMILY[Math.floor(k / GIVEN.length)];
  return { GivenName, FamilyName, DisplayName: `${GivenName} ${FamilyName}${cycleSuffix(index, size)}` };
}

export function vendorName(vendorId: number): string {
  const index = vendorId - ID_BASES.Vendor - 1;
  const size = VENDOR_STEM.length * VENDOR_TRADE.length;
  const k = spread(index % size, size);
  const suffix = VENDOR_SUFFIX[hash32("vendor-suffix", k) % VENDOR_SUFFIX.length];
  return `${VENDOR_STEM[k % VENDOR_STEM.length]} ${VENDOR_TRADE[Math.floor(k / VENDOR_STEM.length)]} ${suffix}${cycleSuffix(index, size)}`;
}

export interface Currency {
  value: string;
  name: string;
  /** Home-currency (USD) units per unit, around which exchange rates vary. */
  rate: number;
}

const CURRENCIES: Record<string, Currency> = {
  USD: { value: "USD", name: "United States Dollar", rate: 1 },
  EUR: { value: "EUR", name: "Euro", rate: 1.08 },
  GBP: { value: "GBP", name: "British Pound Sterling", rate: 1.27 },
  CAD: { value: "CAD", name: "Canadian Dollar", rate: 0.73 },
};

/** A customer's or vendor's currency (mostly USD), which its transactions then use, as QBO requires. */
export function currencyOf(entity: "Customer" | "Vendor", id: number): Currency {
  const u = hash32("qbo-currency", entity, id) / 4294967296;
  return CURRENCIES[u < 0.82 ? "USD" : u < 0.9 ? "EUR" : u < 0.96 ? "GBP" : "CAD"];
}

export function homeCurrency(): Currency {
  return CURRENCIES.USD;
}

export function address(id: number, seedText: string): Record<string, string> {
  const h = hash32("qbo-address", seedText, id);
  const [City, CountrySubDivisionCode, PostalCode] = CITIES[h % CITIES.length];
  return { Id: String(id % 100000), Line1: `${100 + (h % 9800)} ${STREETS[(h >>> 8) % STREETS.length]}`, City, CountrySubDivisionCode, PostalCode };
}

export function phone(id: number, seedText: string): string {
  const h = hash32("qbo-phone", seedText, id);
  return `(${200 + (h % 800)}) 555-${String(1000 + ((h >>> 10) % 9000)).padStart(4, "0")}`;
}

export function emailLocalPart(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ".")
    .replace(/^\.|\.$/g, "");
}
