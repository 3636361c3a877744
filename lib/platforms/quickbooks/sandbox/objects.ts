// The sandbox QuickBooks Online company: entities shaped as the Accounting API v3 returns them
// (minorversion 75; developer.intuit.com › QuickBooks Online › API reference, entities Account,
// Vendor, Customer, Bill, Invoice, Purchase, Payment). `build` returns an entity without the fields the
// platform owns (Id, SyncToken, MetaData, domain, sparse), which quickBooksRecordJson adds from the
// stored record. Amounts are numbers with two decimals, computed in cents so lines add up exactly.
import type { BuildInput, ObjectDefinition } from "@/lib/sandbox/dataset";
import { DAY_MS } from "@/lib/sandbox/dataset";
import type { Rng } from "@/lib/sandbox/random";
import {
  BANK_ACCOUNTS,
  CHART,
  CREDIT_CARD_ACCOUNTS,
  DEPOSIT_ACCOUNTS,
  EXPENSE_ACCOUNTS,
  ID_BASES,
  accountName,
  address,
  chartEntry,
  currencyOf,
  customerNames,
  emailLocalPart,
  fittingAccount,
  homeCurrency,
  phone,
  vendorName,
  type Currency,
} from "./names";
import { qboDate } from "./time";

export type QuickBooksEntity = keyof typeof ID_BASES;

/**
 * The id names derive from. Dataset.synthesize builds data for new records with id 0 and an index past
 * the base range; such a record is named as the base record of that index would be.
 */
const nameKey = (entity: QuickBooksEntity, { id, index }: { id: number; index: number }) => (id > 0 ? id : ID_BASES[entity] + index + 1);

const money = (cents: number) => Math.round(cents) / 100;
const refTo = (value: number, name?: string) => (name === undefined ? { value: String(value) } : { value: String(value), name });

function currencyFields(currency: Currency, rng: Rng): Record<string, unknown> {
  const fields: Record<string, unknown> = { CurrencyRef: { value: currency.value, name: currency.name } };
  if (currency.value !== homeCurrency().value) fields.ExchangeRate = Number((currency.rate * (0.95 + rng.next() * 0.1)).toFixed(4));
  return fields;
}

/**
 * An existing account of a kind (expense, bank, …): ref("Account") answers any account, so draw again
 * (deterministically) until one fits. A chart smaller than a cycle may have none: then any account.
 */
function accountRef(input: BuildInput, positions: readonly number[]): { value: string; name: string } | undefined {
  let id = 0;
  for (let attempt = 0; attempt < 8; attempt++) {
    id = fittingAccount(input.ref("Account"), positions, input.rng.next());
    if (id > ID_BASES.Account && positions.includes((id - ID_BASES.Account - 1) % CHART.length)) break;
  }
  return id > ID_BASES.Account ? { value: String(id), name: accountName(id) } : undefined;
}

/** Lines of an expense (bill or purchase), each booked to an expense account. */
function expenseLines(input: BuildInput, customerId?: number): { lines: Record<string, unknown>[]; totalCents: number } {
  const { rng } = input;
  const lines: Record<string, unknown>[] = [];
  let totalCents = 0;
  const count = rng.chance(0.6) ? 1 : rng.int(2, 4);
  for (let i = 0; i < count; i++) {
    const cents = rng.int(1500, 250_000);
    totalCents += cents;
    const account = accountRef(input, EXPENSE_ACCOUNTS);
    const detail: Record<string, unknown> = { BillableStatus: customerId ? "Billable" : "NotBillable", TaxCodeRef: { value: "NON" } };
    if (account) detail.AccountRef = account;
    if (customerId) detail.CustomerRef = refTo(customerId, customerNames(customerId).DisplayName);
    lines.push({
      Id: String(i + 1),
      LineNum: i + 1,
      Description: account ? `${account.name} — ${rng.pick(["monthly", "project", "Q" + rng.int(1, 4), "services", "supplies"])}` : "Expense",
      Amount: money(cents),
      DetailType: "AccountBasedExpenseLineDetail",
      AccountBasedExpenseLineDetail: detail,
    });
  }
  return { lines, totalCents };
}

function openBalanceCents(rng: Rng, totalCents: number): number {
  const roll = rng.next();
  if (roll < 0.6) return 0; // paid
  if (roll < 0.7) return Math.round(totalCents * (0.1 + rng.next() * 0.8)); // partly paid
  return totalCents;
}

const ITEMS = [
  { id: 1, name: "Services", min: 5_000, max: 150_000 },
  { id: 2, name: "Hours", min: 7_500, max: 20_000 },
  { id: 3, name: "Design", min: 20_000, max: 300_000 },
  { id: 4, name: "Installation", min: 10_000, max: 80_000 },
  { id: 5, name: "Consulting", min: 15_000, max: 250_000 },
  { id: 6, name: "Hardware", min: 2_000, max: 90_000 },
  { id: 7, name: "Maintenance", min: 5_000, max: 60_000 },
  { id: 8, name: "Training", min: 30_000, max: 200_000 },
] as const;

const account: ObjectDefinition = {
  name: "Account",
  weight: 1,
  idBase: ID_BASES.Account,
  build: (input) => {
    const { rng } = input;
    const id = nameKey("Account", input);
    const entry = chartEntry(id);
    const onBalanceSheet = entry.Classification === "Asset" || entry.Classification === "Liability";
    const balance = onBalanceSheet ? money(rng.int(0, 5_000_000)) * (entry.Classification === "Liability" ? -1 : 1) : 0;
    const name = accountName(id);
    return {
      Name: name,
      SubAccount: false,
      FullyQualifiedName: name,
      Active: true,
      Classification: entry.Classification,
      AccountType: entry.AccountType,
      AccountSubType: entry.AccountSubType,
      CurrentBalance: balance,
      CurrentBalanceWithSubAccounts: balance,
      CurrencyRef: { value: homeCurrency().value, name: homeCurrency().name },
    };
  },
};

const vendor: ObjectDefinition = {
  name: "Vendor",
  weight: 4,
  idBase: ID_BASES.Vendor,
  build: (input) => {
    const { rng } = input;
    const id = nameKey("Vendor", input);
    const name = vendorName(id);
    const currency = currencyOf("Vendor", id);
    return {
      DisplayName: name,
      CompanyName: name,
      PrintOnCheckName: name,
      Active: true,
      Vendor1099: rng.chance(0.2),
      Balance: rng.chance(0.5) ? 0 : money(rng.int(1_000, 1_500_000)),
      CurrencyRef: { value: currency.value, name: currency.name },
      PrimaryEmailAddr: { Address: `billing@${emailLocalPart(name).split(".").slice(0, 2).join("")}.example.com` },
      PrimaryPhone: { FreeFormNumber: phone(id, "vendor") },
      BillAddr: address(id, "vendor"),
      ...(rng.chance(0.4) ? { AcctNum: String(rng.int(10_000, 99_999)) } : {}),
    };
  },
};

const customer: ObjectDefinition = {
  name: "Customer",
  weight: 8,
  idBase: ID_BASES.Customer,
  build: (input) => {
    const { rng } = input;
    const id = nameKey("Customer", input);
    const names = customerNames(id);
    const currency = currencyOf("Customer", id);
    const balance = rng.chance(0.55) ? 0 : money(rng.int(1_000, 2_500_000));
    return {
      ...names,
      FullyQualifiedName: names.DisplayName,
      PrintOnCheckName: names.DisplayName,
      ...(rng.chance(0.35)
        ? { CompanyName: `${names.FamilyName} ${rng.pick(["Holdings", "Studio", "Bakery", "Dental", "Design", "Farms", "Builders"])}` }
        : {}),
      Active: true,
      Taxable: rng.chance(0.7),
      Job: false,
      BillWithParent: false,
      Balance: balance,
      BalanceWithJobs: balance,
      PreferredDeliveryMethod: rng.chance(0.7) ? "Email" : "Print",
      CurrencyRef: { value: currency.value, name: currency.name },
      PrimaryEmailAddr: { Address: `${emailLocalPart(names.DisplayName)}@example.org` },
      PrimaryPhone: { FreeFormNumber: phone(id, "customer") },
      BillAddr: address(id, "customer"),
    };
  },
};

const bill: ObjectDefinition = {
  name: "Bill",
  weight: 20,
  idBase: ID_BASES.Bill,
  build: (input) => {
    const { rng, createdAt } = input;
    const vendorId = input.ref("Vendor");
    const billable = rng.chance(0.15) ? input.ref("Customer") : undefined;
    const { lines, totalCents } = expenseLines(input, billable || undefined);
    const terms = rng.pick([15, 30, 30, 30, 45, 60]);
    const payable = accountRef(input, [3]);
    return {
      ...(vendorId ? { VendorRef: refTo(vendorId, vendorName(vendorId)) } : {}),
      ...(payable && payable.name.startsWith("Accounts Payable") ? { APAccountRef: payable } : {}),
      ...(rng.chance(0.7) ? { DocNumber: `${rng.pick(["INV", "B", "SI"])}-${rng.int(1000, 99999)}` } : {}),
      TxnDate: qboDate(createdAt),
      DueDate: qboDate(createdAt + terms * DAY_MS),
      SalesTermRef: { value: String(terms === 15 ? 2 : terms === 30 ? 3 : terms === 45 ? 4 : 5) },
      ...currencyFields(vendorId ? currencyOf("Vendor", vendorId) : homeCurrency(), rng),
      Line: lines,
      TotalAmt: money(totalCents),
      Balance: money(openBalanceCents(rng, totalCents)),
    };
  },
};

const invoice: ObjectDefinition = {
  name: "Invoice",
  weight: 35,
  idBase: ID_BASES.Invoice,
  build: (input) => {
    const { rng, createdAt, index } = input;
    const customerId = input.ref("Customer");
    const lines: Record<string, unknown>[] = [];
    let totalCents = 0;
    const count = rng.chance(0.5) ? 1 : rng.int(2, 5);
    for (let i = 0; i < count; i++) {
      const item = rng.pick(ITEMS);
      const qty = item.name === "Hours" ? rng.int(1, 40) : rng.chance(0.7) ? 1 : rng.int(2, 10);
      const unitCents = rng.int(item.min, item.max);
      totalCents += unitCents * qty;
      lines.push({
        Id: String(i + 1),
        LineNum: i + 1,
        Description: `${item.name}${qty > 1 ? ` (${qty})` : ""}`,
        Amount: money(unitCents * qty),
        DetailType: "SalesItemLineDetail",
        SalesItemLineDetail: { ItemRef: refTo(item.id, item.name), UnitPrice: money(unitCents), Qty: qty, TaxCodeRef: { value: "NON" } },
      });
    }
    lines.push({ Amount: money(totalCents), DetailType: "SubTotalLineDetail", SubTotalLineDetail: {} });
    const terms = rng.pick([15, 30, 30, 60]);
    const names = customerId ? customerNames(customerId) : undefined;
    return {
      DocNumber: String(1001 + index),
      TxnDate: qboDate(createdAt),
      DueDate: qboDate(createdAt + terms * DAY_MS),
      ...(customerId && names ? { CustomerRef: refTo(customerId, names.DisplayName) } : {}),
      ...(names ? { BillEmail: { Address: `${emailLocalPart(names.DisplayName)}@example.org` } } : {}),
      ...currencyFields(customerId ? currencyOf("Customer", customerId) : homeCurrency(), rng),
      Line: lines,
      TxnTaxDetail: { TotalTax: 0 },
      ApplyTaxAfterDiscount: false,
      PrintStatus: "NotSet",
      EmailStatus: rng.chance(0.7) ? "EmailSent" : "NotSet",
      Deposit: 0,
      TotalAmt: money(totalCents),
      Balance: money(openBalanceCents(rng, totalCents)),
    };
  },
};

const purchase: ObjectDefinition = {
  name: "Purchase",
  weight: 20,
  idBase: ID_BASES.Purchase,
  build: (input) => {
    const { rng, createdAt } = input;
    const paymentType = rng.pick(["Cash", "Check", "Check", "CreditCard", "CreditCard", "CreditCard"] as const);
    const paidFrom = accountRef(input, paymentType === "CreditCard" ? CREDIT_CARD_ACCOUNTS : BANK_ACCOUNTS);
    const vendorId = input.ref("Vendor");
    const { lines, totalCents } = expenseLines(input);
    return {
      PaymentType: paymentType,
      ...(paidFrom ? { AccountRef: paidFrom } : {}),
      ...(vendorId ? { EntityRef: { ...refTo(vendorId, vendorName(vendorId)), type: "Vendor" } } : {}),
      ...(paymentType === "Check" ? { DocNumber: String(rng.int(1000, 9999)), PrintStatus: "NotSet" } : {}),
      ...(paymentType === "CreditCard" ? { Credit: false } : {}),
      TxnDate: qboDate(createdAt),
      ...currencyFields(vendorId ? currencyOf("Vendor", vendorId) : homeCurrency(), rng),
      Line: lines,
      TotalAmt: money(totalCents),
    };
  },
};

const payment: ObjectDefinition = {
  name: "Payment",
  weight: 12,
  idBase: ID_BASES.Payment,
  // The Dataset draws the customer and the invoice independently (ref() cannot read the invoice), so a
  // payment's CustomerRef is not always its invoice's customer; see render.ts.
  build: (input) => {
    const { rng, createdAt } = input;
    const customerId = input.ref("Customer");
    const invoiceId = input.ref("Invoice");
    const cents = rng.int(2_000, 500_000);
    const deposit = accountRef(input, DEPOSIT_ACCOUNTS);
    return {
      ...(customerId ? { CustomerRef: refTo(customerId, customerNames(customerId).DisplayName) } : {}),
      ...(deposit ? { DepositToAccountRef: { value: deposit.value } } : {}),
      TxnDate: qboDate(createdAt),
      ...currencyFields(customerId ? currencyOf("Customer", customerId) : homeCurrency(), rng),
      ...(rng.chance(0.6) ? { PaymentRefNum: String(rng.int(100, 99999)) } : {}),
      TotalAmt: money(cents),
      UnappliedAmt: 0,
      ProcessPayment: false,
      Line: invoiceId ? [{ Amount: money(cents), LinkedTxn: [{ TxnId: String(invoiceId), TxnType: "Invoice" }] }] : [],
    };
  },
};

/** In dependency order: referenced entities first. */
export const QUICKBOOKS_OBJECTS: ObjectDefinition[] = [account, vendor, customer, bill, invoice, purchase, payment];

export const QUICKBOOKS_ENTITIES = QUICKBOOKS_OBJECTS.map((d) => d.name) as QuickBooksEntity[];

export function isQuickBooksEntity(name: string): name is QuickBooksEntity {
  return Object.prototype.hasOwnProperty.call(ID_BASES, name);
}
