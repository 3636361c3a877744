// The sandbox Xero organisation, shaped as the Accounting API returns it (Xero-OpenAPI
// xero_accounting.yaml 16.1.0: Account, Contact, Invoice, BankTransaction, Payment). Dataset objects
// are split where the unified model splits and Xero does not, so each unified object has exact ground
// truth: suppliers and customers are both /Contacts, bills and sales invoices both /Invoices (ACCPAY,
// ACCREC), spend and receive money both /BankTransactions. `build` returns the fields Xero does not
// derive from the stored record; render.ts adds the id, dates, UpdatedDateUTC and deleted statuses.
// Amounts are numbers with two decimals, computed in cents so lines add up exactly.
import type { BuildInput, ObjectDefinition, StoredRecord } from "@/lib/sandbox/dataset";
import { DAY_MS } from "@/lib/sandbox/dataset";
import { hash32, type Rng } from "@/lib/sandbox/random";
import { lineItemGuid, xeroGuid } from "./ids";
import { BASE_CURRENCY, CURRENCIES, chartAccount, customerName, emailFor, supplierName } from "./names";
import { dateString, msDate } from "./time";

export const ID_BASES = {
  Account: 1_000_000_000,
  Supplier: 2_000_000_000,
  Customer: 3_000_000_000,
  Bill: 4_000_000_000,
  Invoice: 5_000_000_000,
  SpendMoney: 6_000_000_000,
  ReceiveMoney: 7_000_000_000,
  Payment: 8_000_000_000,
} as const;
export type XeroObject = keyof typeof ID_BASES;

/** Statuses of invoices and bills, as Xero's Invoice.Status lists them; DELETED only by deletion. */
export const INVOICE_STATUSES = ["DRAFT", "SUBMITTED", "AUTHORISED", "PAID", "VOIDED", "DELETED"] as const;

/**
 * The id names and statuses derive from. Dataset.synthesize builds new records with id 0 and an index
 * past the base range: such a record is made as the base record of that index would be.
 */
const keyOf = (object: XeroObject, { id, index }: { id: number; index: number }) => (id > 0 ? id : ID_BASES[object] + index + 1);
const money = (cents: number) => Math.round(cents) / 100;

/**
 * A generated document's status, from its id alone (not the account's seed), so the ground truth can
 * tell voided documents without building a million records.
 */
export function generatedInvoiceStatus(object: string, id: number): string {
  const roll = hash32("xero-status", object, id) % 100;
  if (roll < 4) return "DRAFT";
  if (roll < 8) return "SUBMITTED";
  if (roll < 40) return "AUTHORISED";
  if (roll < 95) return "PAID";
  return "VOIDED";
}

export function contactRef(object: "Supplier" | "Customer", id: number): { ContactID: string; Name: string } {
  const n = id - ID_BASES[object] - 1;
  return { ContactID: xeroGuid(object, id), Name: object === "Supplier" ? supplierName(n) : customerName(n).name };
}

export function accountRef(id: number): { AccountID: string; Code: string; Name: string } {
  const account = chartAccount(id - ID_BASES.Account - 1);
  return { AccountID: xeroGuid("Account", id), Code: account.code, Name: account.name };
}

/** An existing account of one of `types`, drawn deterministically; any account when the chart is too small for one. */
function accountOfType(input: BuildInput, types: readonly string[]): number {
  let id = input.ref("Account");
  for (let attempt = 0; attempt < 12 && !types.includes(chartAccount(id - ID_BASES.Account - 1).type); attempt++) id = input.ref("Account");
  return id;
}

function currency(rng: Rng): { CurrencyCode: string; CurrencyRate: number } {
  const pick = rng.chance(0.9) ? BASE_CURRENCY : rng.pick(CURRENCIES.slice(1));
  return { CurrencyCode: pick.code, CurrencyRate: pick.code === BASE_CURRENCY.code ? 1 : Number((pick.rate * (0.97 + rng.next() * 0.06)).toFixed(6)) };
}

const DESCRIPTIONS = [
  "Consulting services",
  "Monthly subscription",
  "Hardware",
  "Design work",
  "Installation",
  "Support hours",
  "Training session",
  "Freight",
  "Office supplies",
  "Maintenance",
];

function lineItems(
  input: BuildInput,
  object: XeroObject,
  key: number,
  accountTypes: readonly string[],
): { items: Record<string, unknown>[]; totalCents: number } {
  const { rng } = input;
  const items: Record<string, unknown>[] = [];
  let totalCents = 0;
  const count = rng.chance(0.5) ? 1 : rng.int(2, 4);
  for (let i = 0; i < count; i++) {
    const quantity = rng.chance(0.7) ? 1 : rng.int(2, 12);
    const unitCents = rng.int(500, 250_000);
    const lineCents = unitCents * quantity;
    totalCents += lineCents;
    const account = accountRef(accountOfType(input, accountTypes));
    items.push({
      LineItemID: lineItemGuid(object, key, i + 1),
      Description: rng.pick(DESCRIPTIONS),
      Quantity: quantity,
      UnitAmount: money(unitCents),
      AccountCode: account.Code,
      TaxType: "NONE",
      TaxAmount: 0,
      LineAmount: money(lineCents),
      Tracking: [],
    });
  }
  return { items, totalCents };
}

const account: ObjectDefinition = {
  name: "Account",
  weight: 0.2,
  idBase: ID_BASES.Account,
  build: (input) => {
    const n = keyOf("Account", input) - ID_BASES.Account - 1;
    const entry = chartAccount(n);
    return {
      Code: entry.code,
      Name: entry.name,
      Status: "ACTIVE",
      Type: entry.type,
      TaxType: entry.type === "BANK" ? "NONE" : entry.class === "REVENUE" ? "OUTPUT" : "INPUT",
      Class: entry.class,
      EnablePaymentsToAccount: false,
      ShowInExpenseClaims: entry.type === "EXPENSE",
      ...(entry.type === "BANK"
        ? { BankAccountNumber: String(1_000_000 + (hash32("bank", n) % 9_000_000)), BankAccountType: "BANK", CurrencyCode: BASE_CURRENCY.code }
        : {}),
      ReportingCode: entry.class.slice(0, 3),
      HasAttachments: false,
      AddToWatchlist: false,
    };
  },
};

function contact(object: "Supplier" | "Customer", weight: number): ObjectDefinition {
  return {
    name: object,
    weight,
    idBase: ID_BASES[object],
    build: (input) => {
      const key = keyOf(object, input);
      const n = key - ID_BASES[object] - 1;
      const names = object === "Supplier" ? { name: supplierName(n) } : customerName(n);
      const { rng } = input;
      return {
        ContactStatus: "ACTIVE",
        Name: names.name,
        ...("first" in names && names.first ? { FirstName: names.first, LastName: names.last } : {}),
        EmailAddress: emailFor(names.name),
        BankAccountDetails: "",
        Addresses: [
          {
            AddressType: "POBOX",
            AddressLine1: `PO Box ${rng.int(100, 9999)}`,
            City: rng.pick(["Wellington", "Auckland", "Sydney", "London", "Austin"]),
            PostalCode: String(rng.int(1000, 9999)),
            Country: "",
          },
          { AddressType: "STREET" },
        ],
        Phones: [{ PhoneType: "DEFAULT", PhoneNumber: String(rng.int(1_000_000, 9_999_999)), PhoneAreaCode: String(rng.int(10, 99)), PhoneCountryCode: "" }],
        ContactGroups: [],
        IsSupplier: object === "Supplier",
        IsCustomer: object === "Customer",
        ...(rng.chance(0.1) ? { DefaultCurrency: rng.pick(CURRENCIES).code } : {}),
        ContactPersons: [],
        HasAttachments: false,
        HasValidationErrors: false,
      };
    },
    edit: (_record, rng) => ({ EmailAddress: emailFor(`${rng.pick(["accounts", "billing", "office"])}.${rng.int(1, 999)}`) }),
  };
}

function document(object: "Bill" | "Invoice", weight: number): ObjectDefinition {
  const type = object === "Bill" ? "ACCPAY" : "ACCREC";
  const counterpart = object === "Bill" ? "Supplier" : "Customer";
  return {
    name: object,
    weight,
    idBase: ID_BASES[object],
    build: (input) => {
      const { rng, createdAt } = input;
      const key = keyOf(object, input);
      const { items, totalCents } = lineItems(input, object, key, object === "Bill" ? ["EXPENSE", "DIRECTCOSTS"] : ["REVENUE", "SALES"]);
      const status = generatedInvoiceStatus(object, key);
      const paidCents = status === "PAID" ? totalCents : status === "AUTHORISED" && rng.chance(0.2) ? Math.round(totalCents * (0.1 + rng.next() * 0.8)) : 0;
      const terms = rng.pick([7, 14, 30, 30, 30, 60]);
      const due = createdAt + terms * DAY_MS;
      const contactId = input.ref(counterpart);
      return {
        Type: type,
        InvoiceNumber:
          object === "Invoice" ? `INV-${String(key - ID_BASES.Invoice).padStart(4, "0")}` : `${rng.pick(["RPT", "SI", "BILL"])}-${rng.int(100, 99_999)}`,
        Reference: rng.chance(0.5) ? `${rng.pick(["PO", "Ref", "Job"])} ${rng.int(100, 9999)}` : "",
        Payments: [],
        CreditNotes: [],
        Prepayments: [],
        Overpayments: [],
        AmountDue: status === "VOIDED" ? 0 : money(totalCents - paidCents),
        AmountPaid: money(paidCents),
        AmountCredited: 0,
        ...currency(rng),
        IsDiscounted: false,
        HasAttachments: false,
        HasErrors: false,
        Contact: contactRef(counterpart, contactId),
        DueDateString: dateString(due),
        DueDate: msDate(Math.floor(due / DAY_MS) * DAY_MS),
        Status: status,
        LineAmountTypes: "Exclusive",
        LineItems: items,
        SubTotal: money(totalCents),
        TotalTax: 0,
        Total: money(totalCents),
        ...(status === "PAID" ? { FullyPaidOnDate: msDate(Math.floor(due / DAY_MS) * DAY_MS - DAY_MS) } : {}),
        ...(object === "Invoice" ? { SentToContact: status !== "DRAFT" } : {}),
      };
    },
    edit: (record, rng) => invoiceEdit(record, rng),
  };
}

/** What happens to an invoice or bill: approval, payment, voiding, or a new reference. */
function invoiceEdit(record: StoredRecord, rng: Rng): Record<string, unknown> {
  const data = record.data;
  const status = String(data.Status);
  if (status === "DRAFT" || status === "SUBMITTED")
    return { Status: rng.chance(0.8) ? "AUTHORISED" : "VOIDED", ...(status === "DRAFT" && data.Type === "ACCREC" ? { SentToContact: true } : {}) };
  if (status === "AUTHORISED") {
    if (rng.chance(0.3) && Number(data.AmountPaid) === 0) return { Status: "VOIDED", AmountDue: 0 };
    return { Status: "PAID", AmountPaid: data.Total, AmountDue: 0, FullyPaidOnDate: data.DueDate };
  }
  return { Reference: `Ref ${rng.int(100, 9999)}` };
}

function bankTransaction(object: "SpendMoney" | "ReceiveMoney", weight: number): ObjectDefinition {
  const spend = object === "SpendMoney";
  return {
    name: object,
    weight,
    idBase: ID_BASES[object],
    build: (input) => {
      const { rng } = input;
      const key = keyOf(object, input);
      const { items, totalCents } = lineItems(input, object, key, spend ? ["EXPENSE", "DIRECTCOSTS"] : ["REVENUE", "SALES"]);
      const counterpart = spend ? "Supplier" : "Customer";
      return {
        Type: spend ? "SPEND" : "RECEIVE",
        Contact: contactRef(counterpart, input.ref(counterpart)),
        LineItems: items,
        BankAccount: accountRef(accountOfType(input, ["BANK"])),
        IsReconciled: rng.chance(0.7),
        Reference: rng.chance(0.6) ? `${rng.pick(["Card", "EFT", "DD", "Cheque"])} ${rng.int(1000, 99_999)}` : "",
        ...currency(rng),
        Status: "AUTHORISED",
        LineAmountTypes: "Exclusive",
        SubTotal: money(totalCents),
        TotalTax: 0,
        Total: money(totalCents),
        HasAttachments: false,
      };
    },
    edit: (record, rng) => (record.data.IsReconciled ? { Reference: `EFT ${rng.int(1000, 99_999)}` } : { IsReconciled: true }),
  };
}

const payment: ObjectDefinition = {
  name: "Payment",
  weight: 12,
  idBase: ID_BASES.Payment,
  // The Dataset draws the invoice and amount independently (ref() cannot read the invoice): a payment
  // names its invoice's GUID, number and type, but its amount is its own.
  build: (input) => {
    const { rng } = input;
    const receivable = rng.chance(0.7);
    const object = receivable ? "Invoice" : "Bill";
    const invoiceId = input.ref(object);
    const contact = contactRef(receivable ? "Customer" : "Supplier", input.ref(receivable ? "Customer" : "Supplier"));
    const cents = rng.int(2_000, 500_000);
    const bank = accountRef(accountOfType(input, ["BANK"]));
    return {
      Amount: money(cents),
      BankAmount: money(cents),
      CurrencyRate: 1,
      Reference: rng.chance(0.5) ? `Payment ${rng.int(100, 99_999)}` : "",
      IsReconciled: rng.chance(0.6),
      Status: "AUTHORISED",
      PaymentType: receivable ? "ACCRECPAYMENT" : "ACCPAYPAYMENT",
      Account: { AccountID: bank.AccountID, Code: bank.Code },
      Invoice: paidInvoice({
        Type: receivable ? "ACCREC" : "ACCPAY",
        InvoiceID: xeroGuid(object, invoiceId),
        InvoiceNumber: receivable ? `INV-${String(invoiceId - ID_BASES.Invoice).padStart(4, "0")}` : "",
        Contact: contact,
        CurrencyCode: BASE_CURRENCY.code,
      }),
      HasAccount: true,
      HasValidationErrors: false,
    };
  },
  edit: (record, rng) => (record.data.IsReconciled ? { Reference: `Payment ${rng.int(100, 99_999)}` } : { IsReconciled: true }),
};

/** The invoice a payment names, as Xero nests it in the payment: its identity, and its allocations left empty. */
export function paidInvoice(invoice: {
  Type: unknown;
  InvoiceID: string;
  InvoiceNumber: unknown;
  Contact: unknown;
  CurrencyCode: unknown;
}): Record<string, unknown> {
  return { ...invoice, Payments: [], CreditNotes: [], Prepayments: [], Overpayments: [], LineItems: [], HasErrors: false, IsDiscounted: false };
}

/** In dependency order: referenced objects first. */
export const XERO_OBJECTS: ObjectDefinition[] = [
  account,
  contact("Supplier", 4),
  contact("Customer", 8),
  document("Bill", 20),
  document("Invoice", 35),
  bankTransaction("SpendMoney", 14),
  bankTransaction("ReceiveMoney", 6),
  payment,
];
