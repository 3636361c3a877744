// The accounting category's unified models: what every accounting connector (QuickBooks Online and
// Xero) emits as a record's data. Ids and references are the platform's; Tributary adds its own
// record ids when it serves them (lib/unified/references.ts). Amounts are in the document's currency.
import { z } from "zod";
import {
  boolean,
  calendarDate,
  currency,
  CURRENCY_PATTERN,
  decimal,
  DECIMAL_PATTERN,
  money,
  oneOf,
  platformId,
  reference,
  references,
  text,
  timestamp,
} from "./fields";

// Xero reports no creation time on any of these objects, only UpdatedDateUTC.
const created = timestamp.nullable("When the record was created on the platform; null where the platform does not say (Xero)");
const updated = timestamp("When the record last changed on the platform");

export const account = z
  .strictObject({
    id: platformId("The account's id on the platform"),
    name: text("The account's name in the chart of accounts"),
    number: text.nullable("The account's number (code) in the chart, where the company numbers them"),
    classification: oneOf(
      ["asset", "liability", "equity", "income", "expense"],
      "Where the account sits in the statements: asset, liability or equity (balance sheet), income or expense (profit and loss)",
    ),
    type: text.nullable("The platform's account type, e.g. QuickBooks' Bank or Accounts Payable"),
    sub_type: text.nullable("The platform's finer account type, e.g. Checking"),
    parent_account_id: reference.nullable("accounts", "The account this one is a sub-account of; null at the top level"),
    currency: currency.nullable("The currency of the balance"),
    balance: money.nullable("The account's current balance; null where the platform does not report one"),
    active: boolean("False once the account is archived (made inactive)"),
    created_at: created,
    updated_at: updated,
  })
  .meta({ description: "An account of the company's chart of accounts" });

const contact = (who: string) => ({
  id: platformId(`The ${who}'s id on the platform`),
  name: text(`The ${who}'s display name`),
  email: text.nullable("The main email address"),
  phone: text.nullable("The main phone number"),
  currency: currency.nullable("The currency the company trades with them in, and of balance"),
  balance: money.nullable(`What is open with the ${who} now`),
  active: boolean("False once archived (made inactive)"),
  created_at: created,
  updated_at: updated,
});

export const vendor = z.strictObject(contact("vendor")).meta({ description: "A supplier the company buys from and pays bills to" });

export const customer = z.strictObject(contact("customer")).meta({ description: "A customer the company invoices" });

/**
 * Where a bill or invoice stands, in the four states Rutter and Merge reduce the platforms' lifecycles
 * to (Merge and Codat also name SUBMITTED and PARTIALLY_PAID; here a document awaiting approval is a
 * draft, and a part-paid one is open with amount_due below total). Null where the platform says nothing.
 */
const documentStatus = oneOf.nullable(
  ["draft", "open", "paid", "void"],
  "draft: not yet posted to the books (Xero's DRAFT and SUBMITTED, awaiting approval); open: posted, with money still due (part-paid included); paid: nothing is due; void: cancelled after posting, kept with its number (amounts stay as the platform reports them: QuickBooks zeroes them, Xero keeps them)",
);

const line = z
  .strictObject({
    id: platformId.nullable("The line's id within its document, where the platform numbers lines"),
    description: text.nullable("What the line is for"),
    quantity: decimal.nullable("Units; null on lines booked as a plain amount"),
    unit_price: money.nullable("The price of one unit; null on lines booked as a plain amount"),
    amount: money("The line's amount"),
    account_id: reference.nullable("accounts", "The account the line is booked to; null where the line books an item whose account the platform keeps"),
  })
  .meta({ description: "One line of a document" });

const lines = z.array(line).meta({ description: "The document's lines, without the subtotal lines some platforms add" });

export const bill = z
  .strictObject({
    id: platformId("The bill's id on the platform"),
    vendor_id: reference.nullable("vendors", "Who sent the bill"),
    number: text.nullable("The bill's number, as the vendor wrote it"),
    issue_date: calendarDate("The bill's date"),
    due_date: calendarDate.nullable("When payment is due"),
    currency: currency("The currency of the bill's amounts"),
    total: money("The bill's total"),
    amount_due: money("What is still to be paid"),
    status: documentStatus,
    lines,
    created_at: created,
    updated_at: updated,
  })
  .meta({ description: "A bill from a vendor: money the company owes (accounts payable)" });

export const invoice = z
  .strictObject({
    id: platformId("The invoice's id on the platform"),
    customer_id: reference.nullable("customers", "Who is invoiced"),
    number: text.nullable("The invoice's number"),
    issue_date: calendarDate("The invoice's date"),
    due_date: calendarDate.nullable("When payment is due"),
    currency: currency("The currency of the invoice's amounts"),
    total: money("The invoice's total"),
    amount_due: money("What is still to be paid"),
    status: documentStatus,
    lines,
    created_at: created,
    updated_at: updated,
  })
  .meta({ description: "An invoice to a customer: money owed to the company (accounts receivable)" });

export const expense = z
  .strictObject({
    id: platformId("The expense's id on the platform"),
    vendor_id: reference.nullable("vendors", "Who was paid; null when the payee is not a vendor (a customer or employee) or none was named"),
    account_id: reference.nullable("accounts", "The bank or credit card account the money left"),
    payment_type: text.nullable("How it was paid, e.g. Cash, Check or CreditCard"),
    date: calendarDate("When it was paid"),
    currency: currency("The currency of the expense's amounts"),
    total: money("The expense's total"),
    lines,
    created_at: created,
    updated_at: updated,
  })
  .meta({ description: "Money spent and paid at once, without a bill: a card charge, a cash or check purchase" });

export const payment = z
  .strictObject({
    id: platformId("The payment's id on the platform"),
    customer_id: reference.nullable("customers", "Who paid"),
    account_id: reference.nullable("accounts", "The account the money was deposited to"),
    invoice_ids: references("invoices", "The invoices the payment settles"),
    date: calendarDate("When it was received"),
    currency: currency("The currency of total"),
    total: money("The amount received"),
    created_at: created,
    updated_at: updated,
  })
  .meta({ description: "A payment received from a customer against invoices" });

export const ACCOUNTING = { accounts: account, vendors: vendor, customers: customer, bills: bill, invoices: invoice, expenses: expense, payments: payment };

// What a write sends: the fields a team sets, in the read model's names. Each platform's own rules (QuickBooks'
// SyncToken, Xero's contacts) are its connector's business, never the caller's.
const writtenId = (object: string, description: string) =>
  z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(100)
    .meta({ description: `${description} (the platform's id of the ${object} record)` });
const displayName = (description: string) => z.string().trim().min(1, "must not be empty").max(500).meta({ description });
const email = z.string().trim().max(100).email("must be an email address").meta({ description: "The main email address" });
const phoneNumber = z.string().trim().min(1, "must not be empty").max(30).meta({ description: "The main phone number" });
const writtenMoney = (description: string) =>
  z
    .string()
    .regex(/^-?(0|[1-9]\d*)(\.\d{1,2})?$/, "must be a decimal string with at most two decimals, such as 1234.50")
    .meta({ description });
const writtenDate = (description: string) => z.iso.date({ message: "must be a date, YYYY-MM-DD" }).meta({ description: `${description}. YYYY-MM-DD` });

const atLeastOne = { message: "must change at least one field" };

const contactCreate = (who: string) =>
  z
    .strictObject({
      name: displayName(`The ${who}'s display name, unique among the company's customers and vendors`),
      email: email.nullable().optional(),
      phone: phoneNumber.nullable().optional(),
      currency: z
        .string()
        .regex(CURRENCY_PATTERN, "must be an ISO 4217 code such as USD")
        .optional()
        .meta({ description: "The currency the company trades with them in; the company's home currency when left out" }),
    })
    .meta({ description: `A ${who} to create` });

const contactUpdate = (who: string) =>
  z
    .strictObject({
      name: displayName(`The ${who}'s display name`).optional(),
      email: email.nullable().optional(),
      phone: phoneNumber.nullable().optional(),
      active: z.boolean().optional().meta({ description: "False archives (makes inactive); the platforms keep the record and its history" }),
    })
    .refine((update) => Object.keys(update).length > 0, atLeastOne)
    .meta({ description: `What changes on a ${who}; fields left out stay as they are` });

const writtenLine = z
  .strictObject({
    description: z.string().trim().max(4000).nullable().optional().meta({ description: "What the line is for" }),
    quantity: z
      .string()
      .regex(DECIMAL_PATTERN, "must be a decimal string such as 2")
      .optional()
      .meta({ description: "Units; with unit_price, amount must be their product" }),
    unit_price: writtenMoney("The price of one unit").optional(),
    amount: writtenMoney("The line's amount"),
    account_id: writtenId(
      "accounts",
      "The income account the line is booked to: Xero needs one on each line of an approved invoice; QuickBooks books a line to its item's account and takes none",
    ).optional(),
  })
  .refine((line) => (line.quantity === undefined) === (line.unit_price === undefined), { message: "quantity and unit_price go together", path: ["unit_price"] })
  .refine(
    (line) =>
      line.quantity === undefined || line.unit_price === undefined || Math.abs(Number(line.quantity) * Number(line.unit_price) - Number(line.amount)) < 0.005,
    {
      message: "must be quantity × unit_price",
      path: ["amount"],
    },
  )
  .meta({ description: "One line of the document" });

const writtenLines = z
  .array(writtenLine)
  .min(1, "must hold at least one line")
  .max(250)
  .meta({ description: "The document's lines (replaced as a whole on an update)" });

export const invoiceCreate = z
  .strictObject({
    customer_id: writtenId("customers", "Who is invoiced"),
    number: z.string().trim().min(1).max(21).optional().meta({ description: "The invoice's number; the platform numbers it when left out" }),
    issue_date: writtenDate("The invoice's date; today when left out").optional(),
    due_date: writtenDate("When payment is due; the platform's default terms when left out").optional(),
    lines: writtenLines,
  })
  .meta({ description: "An invoice to create, in the customer's currency" });

export const invoiceUpdate = z
  .strictObject({
    customer_id: writtenId("customers", "Who is invoiced").optional(),
    number: z.string().trim().min(1).max(21).optional().meta({ description: "The invoice's number" }),
    issue_date: writtenDate("The invoice's date").optional(),
    due_date: writtenDate("When payment is due").optional(),
    lines: writtenLines.optional(),
  })
  .refine((update) => Object.keys(update).length > 0, atLeastOne)
  .meta({ description: "What changes on an invoice; fields left out stay as they are. What was paid stays paid: amount_due follows the new total" });

const expenseLine = z
  .strictObject({
    description: z.string().trim().max(4000).nullable().optional().meta({ description: "What the line is for" }),
    amount: writtenMoney("The line's amount"),
    account_id: writtenId("accounts", "The account the line is booked to, usually an expense account"),
  })
  .meta({ description: "One line of a bill or expense: an amount booked to an account" });

const expenseLines = z
  .array(expenseLine)
  .min(1, "must hold at least one line")
  .max(250)
  .meta({ description: "The document's lines (replaced as a whole on an update)" });

export const billCreate = z
  .strictObject({
    vendor_id: writtenId("vendors", "Who sent the bill"),
    number: z.string().trim().min(1).max(21).optional().meta({ description: "The bill's number, as the vendor wrote it" }),
    issue_date: writtenDate("The bill's date; today when left out").optional(),
    due_date: writtenDate("When payment is due; the platform's default terms when left out").optional(),
    lines: expenseLines,
  })
  .meta({ description: "A bill to create, in the vendor's currency" });

export const billUpdate = z
  .strictObject({
    vendor_id: writtenId("vendors", "Who sent the bill").optional(),
    number: z.string().trim().min(1).max(21).optional().meta({ description: "The bill's number" }),
    issue_date: writtenDate("The bill's date").optional(),
    due_date: writtenDate("When payment is due").optional(),
    lines: expenseLines.optional(),
  })
  .refine((update) => Object.keys(update).length > 0, atLeastOne)
  .meta({ description: "What changes on a bill; fields left out stay as they are. What was paid stays paid: amount_due follows the new total" });

const paymentType = z
  .enum(["Cash", "Check", "CreditCard"], { message: "must be Cash, Check or CreditCard" })
  .meta({ description: "How it was paid, in the words the read model reports" });

export const expenseCreate = z
  .strictObject({
    account_id: writtenId("accounts", "The bank or credit card account the money left"),
    payment_type: paymentType,
    vendor_id: writtenId("vendors", "Who was paid; none when left out").optional(),
    date: writtenDate("When it was paid; today when left out").optional(),
    lines: expenseLines,
  })
  .meta({ description: "An expense to record: money spent and paid at once, without a bill" });

export const expenseUpdate = z
  .strictObject({
    account_id: writtenId("accounts", "The bank or credit card account the money left").optional(),
    payment_type: paymentType.optional(),
    vendor_id: writtenId("vendors", "Who was paid").optional(),
    date: writtenDate("When it was paid").optional(),
    lines: expenseLines.optional(),
  })
  .refine((update) => Object.keys(update).length > 0, atLeastOne)
  .meta({ description: "What changes on an expense; fields left out stay as they are" });

const applied = z
  .array(
    z
      .strictObject({
        invoice_id: writtenId("invoices", "An invoice of the paying customer"),
        amount: writtenMoney("What the payment settles of it, at most what the invoice has open"),
      })
      .meta({ description: "An amount of the payment applied to one invoice" }),
  )
  .max(250)
  .meta({ description: "The invoices the payment settles, and how much of each (replaced as a whole on an update); what they leave of total stays unapplied" });

const appliedWithin = (payment: { total?: string; invoices?: { amount: string }[] }) =>
  payment.total === undefined ||
  payment.invoices === undefined ||
  payment.invoices.reduce((sum, line) => sum + Number(line.amount), 0) <= Number(payment.total) + 0.005;

export const paymentCreate = z
  .strictObject({
    customer_id: writtenId("customers", "Who paid"),
    total: writtenMoney("The amount received"),
    date: writtenDate("When it was received; today when left out").optional(),
    account_id: writtenId("accounts", "The account the money was deposited to; the platform's default when left out").optional(),
    invoices: applied.optional(),
  })
  .refine(appliedWithin, { message: "must add up to no more than total", path: ["invoices"] })
  .meta({ description: "A payment received from a customer, in the customer's currency" });

export const paymentUpdate = z
  .strictObject({
    total: writtenMoney("The amount received").optional(),
    date: writtenDate("When it was received").optional(),
    account_id: writtenId("accounts", "The account the money was deposited to").optional(),
    invoices: applied.optional(),
  })
  .refine((update) => Object.keys(update).length > 0, atLeastOne)
  .refine(appliedWithin, { message: "must add up to no more than total", path: ["invoices"] })
  .meta({ description: "What changes on a payment; fields left out stay as they are, and the invoices' balances follow" });

/**
 * The accounting objects a team writes through the unified API, their create and update shapes, and the
 * fields that name other records (`lines[].account_id`: the field of each element of an array).
 */
export const ACCOUNTING_WRITES = {
  customers: { create: contactCreate("customer"), update: contactUpdate("customer"), references: {} },
  vendors: { create: contactCreate("vendor"), update: contactUpdate("vendor"), references: {} },
  invoices: { create: invoiceCreate, update: invoiceUpdate, references: { customer_id: "customers", "lines[].account_id": "accounts" }, deletable: true },
  bills: { create: billCreate, update: billUpdate, references: { vendor_id: "vendors", "lines[].account_id": "accounts" }, deletable: true },
  expenses: {
    create: expenseCreate,
    update: expenseUpdate,
    references: { account_id: "accounts", vendor_id: "vendors", "lines[].account_id": "accounts" },
    deletable: true,
  },
  payments: {
    create: paymentCreate,
    update: paymentUpdate,
    references: { customer_id: "customers", account_id: "accounts", "invoices[].invoice_id": "invoices" },
    deletable: true,
  },
};
