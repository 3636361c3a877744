// Names for the sandbox organisation: the chart of accounts (Xero's default chart for a "Demo Company
// (Global)"), supplier and customer names unique per id, as Xero requires contact names to be.
export const CURRENCIES = [
  { code: "USD", rate: 1 },
  { code: "EUR", rate: 0.92 },
  { code: "GBP", rate: 0.79 },
  { code: "AUD", rate: 1.52 },
] as const;
export const BASE_CURRENCY = CURRENCIES[0];

type AccountType = "BANK" | "CURRENT" | "CURRLIAB" | "EQUITY" | "EXPENSE" | "DIRECTCOSTS" | "REVENUE" | "SALES";
const CLASS: Record<AccountType, string> = {
  BANK: "ASSET",
  CURRENT: "ASSET",
  CURRLIAB: "LIABILITY",
  EQUITY: "EQUITY",
  EXPENSE: "EXPENSE",
  DIRECTCOSTS: "EXPENSE",
  REVENUE: "REVENUE",
  SALES: "REVENUE",
};

/** The chart; account i of the organisation is entry i % length, numbered after the first cycle. */
export const CHART: readonly { code: string; name: string; type: AccountType }[] = [
  { code: "090", name: "Business Bank Account", type: "BANK" },
  { code: "200", name: "Sales", type: "REVENUE" },
  { code: "400", name: "Advertising", type: "EXPENSE" },
  { code: "800", name: "Accounts Payable", type: "CURRLIAB" },
  { code: "610", name: "Accounts Receivable", type: "CURRENT" },
  { code: "404", name: "Bank Fees", type: "EXPENSE" },
  { code: "412", name: "Consulting & Accounting", type: "EXPENSE" },
  { code: "091", name: "Business Savings Account", type: "BANK" },
  { code: "260", name: "Other Revenue", type: "REVENUE" },
  { code: "310", name: "Cost of Goods Sold", type: "DIRECTCOSTS" },
  { code: "420", name: "Entertainment", type: "EXPENSE" },
  { code: "425", name: "Freight & Courier", type: "EXPENSE" },
  { code: "429", name: "General Expenses", type: "EXPENSE" },
  { code: "433", name: "Insurance", type: "EXPENSE" },
  { code: "445", name: "Light, Power, Heating", type: "EXPENSE" },
  { code: "453", name: "Office Expenses", type: "EXPENSE" },
  { code: "461", name: "Printing & Stationery", type: "EXPENSE" },
  { code: "469", name: "Rent", type: "EXPENSE" },
  { code: "473", name: "Repairs and Maintenance", type: "EXPENSE" },
  { code: "485", name: "Subscriptions", type: "EXPENSE" },
  { code: "489", name: "Telephone & Internet", type: "EXPENSE" },
  { code: "493", name: "Travel - National", type: "EXPENSE" },
  { code: "820", name: "Sales Tax", type: "CURRLIAB" },
  { code: "970", name: "Owner A Funds Introduced", type: "EQUITY" },
];

/** Account number `n` (0-based) of the organisation. */
export function chartAccount(n: number): { code: string; name: string; type: AccountType; class: string } {
  const entry = CHART[n % CHART.length];
  const cycle = Math.floor(n / CHART.length);
  return cycle === 0
    ? { ...entry, class: CLASS[entry.type] }
    : { code: `${entry.code}${cycle}`, name: `${entry.name} ${cycle + 1}`, type: entry.type, class: CLASS[entry.type] };
}

const FIRST = [
  "Ridgeway",
  "Bayside",
  "City",
  "Harbour",
  "Summit",
  "Pinnacle",
  "Coastal",
  "Northern",
  "Golden",
  "Silver",
  "Red Fish",
  "Blue Sky",
  "Oak",
  "Cedar",
  "Maple",
  "Hamilton",
  "Marine",
  "Central",
  "Capital",
  "Pacific",
  "Atlas",
  "Orbit",
  "Nimbus",
  "Boston",
  "Petrie",
  "Swanston",
  "Basket",
  "Gable",
  "Truxton",
  "Young",
];
const SECOND = [
  "Office Supplies",
  "Power",
  "Freight",
  "Print",
  "Cleaning",
  "Consulting",
  "Hardware",
  "Software",
  "Catering",
  "Property",
  "Telecom",
  "Logistics",
  "Marketing",
  "Legal",
  "Insurance",
  "Electrical",
  "Plumbing",
  "Design",
  "Media",
  "Travel",
];
const SUFFIX = ["Ltd", "Co", "Group", "Partners", "Services", "& Sons", "Inc", "Limited"];
const GIVEN = [
  "Marcus",
  "Ashley",
  "Jordan",
  "Priya",
  "Hannah",
  "Oliver",
  "Mei",
  "Lucas",
  "Sofia",
  "Ethan",
  "Aroha",
  "Noah",
  "Isla",
  "Liam",
  "Grace",
  "Kai",
  "Ruby",
  "Leo",
  "Zara",
  "Finn",
];
const FAMILY = [
  "Rubble",
  "Flintstone",
  "Nguyen",
  "Patel",
  "Smith",
  "Taylor",
  "Williams",
  "Brown",
  "Wilson",
  "Walker",
  "Chen",
  "Singh",
  "Martin",
  "Clarke",
  "Thompson",
  "Robinson",
  "King",
  "Wright",
  "Scott",
  "Green",
];

/** A name unique per n: a combination of the lists, numbered when the combinations run out. */
function combine(n: number, lists: readonly (readonly string[])[], join: (parts: string[]) => string): string {
  const size = lists.reduce((p, l) => p * l.length, 1);
  // A multiplier coprime with the size spreads neighbours over the lists.
  const k = ((n % size) * 7919) % size;
  let rest = k;
  const parts = lists.map((list) => {
    const part = list[rest % list.length];
    rest = Math.floor(rest / list.length);
    return part;
  });
  const cycle = Math.floor(n / size);
  return cycle === 0 ? join(parts) : `${join(parts)}-${cycle + 1}`;
}

export const supplierName = (n: number) => combine(n, [FIRST, SECOND, SUFFIX], ([a, b, c]) => `${a} ${b} ${c}`);
export function customerName(n: number): { name: string; first?: string; last?: string } {
  if (n % 3 === 0) return { name: combine(n, [FIRST, SECOND, SUFFIX], ([a, b, c]) => `${a} ${b} ${c}`) + " (Client)" };
  const name = combine(n, [GIVEN, FAMILY], ([a, b]) => `${a} ${b}`);
  const [first, ...last] = name.split(" ");
  return { name, first, last: last.join(" ") };
}

export const emailFor = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ".")
    .replace(/^\.|\.$/g, "") + "@example.com";
