// Xero's Accounting API 2.0 records in Tributary's accounting model (lib/unified/accounting.ts), with
// the record itself as the platform's data. Where Xero and QuickBooks differ the contract keeps the
// field and Xero's value is null: accounts have no balance in the Accounts endpoint and no parents,
// spend money records no payment method, and no Xero record says when it was created.
import { decimalString, idString, stringOrNull } from "@/lib/unified/convert";
import type { UnifiedRecord } from "../types";

export type Json = Record<string, unknown>;

/** `/Date(1573755038314+0000)/`: milliseconds since the epoch, then the offset the value was written in. */
const MS_JSON_DATE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;

/** An instant from Xero's MS-JSON form (the milliseconds are UTC whatever the offset says), or from ISO text without a zone, which Xero writes in UTC. */
export function xeroInstant(value: unknown): Date | null {
  if (typeof value !== "string") return null;
  const ms = MS_JSON_DATE.exec(value);
  if (ms) return new Date(Number(ms[1]));
  const date = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * A calendar date (YYYY-MM-DD) from a document date: the day the value names where it was written, so
 * an offset is applied before the date is read (`/Date(1518652800000+0000)/` is 2018-02-15;
 * `/Date(1518606000000+1300)/` is 2018-02-15 in Auckland). Xero sends `DateString` beside `Date`
 * (local, no zone), which is preferred when present.
 */
export function xeroCalendarDate(value: unknown, dateString?: unknown): string | null {
  if (typeof dateString === "string" && /^\d{4}-\d{2}-\d{2}/.test(dateString)) return dateString.slice(0, 10);
  if (typeof value !== "string") return null;
  const ms = MS_JSON_DATE.exec(value);
  if (!ms) return /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : null;
  const offset = ms[2] ? (ms[2][0] === "-" ? -1 : 1) * (Number(ms[2].slice(1, 3)) * 60 + Number(ms[2].slice(3))) * 60_000 : 0;
  return new Date(Number(ms[1]) + offset).toISOString().slice(0, 10);
}

/** Xero's document statuses in the unified words: a submitted document awaits approval and is not in the books yet. */
const DOCUMENT_STATUS: Record<string, "draft" | "open" | "paid" | "void"> = {
  DRAFT: "draft",
  SUBMITTED: "draft",
  AUTHORISED: "open",
  PAID: "paid",
  VOIDED: "void",
};

/** Xero's account Class in the unified words (Xero says REVENUE where the model says income). */
const CLASSIFICATIONS: Record<string, string> = { ASSET: "asset", LIABILITY: "liability", EQUITY: "equity", REVENUE: "income", EXPENSE: "expense" };

/** Each listed Xero record's id field. */
export const ID_FIELDS: Record<string, string> = {
  accounts: "AccountID",
  vendors: "ContactID",
  customers: "ContactID",
  bills: "InvoiceID",
  invoices: "InvoiceID",
  expenses: "BankTransactionID",
  payments: "PaymentID",
};

const nonEmpty = (value: unknown) => (typeof value === "string" && value.trim() !== "" ? value : null);
const child = (item: Json, key: string) => (item[key] as Json | undefined) ?? {};

/** The default phone, as Xero splits it (country, area, number), in one string; null when it has no number. */
function phone(item: Json): string | null {
  const phones = (item.Phones as Json[] | undefined) ?? [];
  const main = phones.find((p) => p.PhoneType === "DEFAULT" && nonEmpty(p.PhoneNumber)) ?? phones.find((p) => nonEmpty(p.PhoneNumber));
  if (!main) return null;
  return [main.PhoneCountryCode, main.PhoneAreaCode, main.PhoneNumber].map(nonEmpty).filter(Boolean).join(" ");
}

function lines(item: Json, currency: string | null) {
  return ((item.LineItems as Json[] | undefined) ?? []).map((line) => ({
    id: idString(line.LineItemID),
    description: stringOrNull(line.Description),
    quantity: decimalString(line.Quantity),
    unit_price: decimalString(line.UnitAmount),
    // In the document's LineAmountTypes (exclusive or inclusive of tax), as Xero totals the lines.
    amount: decimalString(line.LineAmount ?? 0, currency),
    // Lines name their account by code, and by id where Xero sends it (AccountID); only the id is a reference.
    account_id: idString(line.AccountID),
  }));
}

export function normalize(object: string, item: Json): UnifiedRecord {
  const id = String(item[ID_FIELDS[object]]);
  const updatedAt = xeroInstant(item.UpdatedDateUTC);
  const common = { id, created_at: null, updated_at: updatedAt?.toISOString() ?? null };
  const data: Json = (() => {
    switch (object) {
      case "accounts": {
        const currency = nonEmpty(item.CurrencyCode);
        return {
          ...common,
          name: item.Name,
          number: nonEmpty(item.Code),
          classification: CLASSIFICATIONS[String(item.Class)] ?? item.Class,
          type: nonEmpty(item.Type),
          // Bank accounts say what kind they are (BANK, CREDITCARD, PAYPAL); other accounts have no finer type.
          sub_type: nonEmpty(item.BankAccountType),
          // Xero's chart is flat.
          parent_account_id: null,
          currency,
          // The Accounts endpoint reports no balances (only the reports do).
          balance: null,
          active: item.Status === "ACTIVE",
        };
      }
      case "vendors":
      case "customers": {
        const currency = nonEmpty(item.DefaultCurrency);
        const balances = child(item, "Balances");
        const side = child(balances, object === "vendors" ? "AccountsPayable" : "AccountsReceivable");
        return {
          ...common,
          name: item.Name,
          email: nonEmpty(item.EmailAddress),
          phone: phone(item),
          currency,
          // Xero sends Balances on some reads only; what is outstanding on this contact's side of the books.
          balance: decimalString(side.Outstanding, currency),
          // ARCHIVED, and GDPRREQUEST (being erased), are no longer in use.
          active: item.ContactStatus === "ACTIVE",
        };
      }
      case "bills":
      case "invoices": {
        const currency = String(item.CurrencyCode);
        const contact = idString(child(item, "Contact").ContactID);
        return {
          ...common,
          ...(object === "bills" ? { vendor_id: contact } : { customer_id: contact }),
          // A bill's InvoiceNumber is the supplier's own number for it.
          number: nonEmpty(item.InvoiceNumber),
          issue_date: xeroCalendarDate(item.Date, item.DateString),
          due_date: xeroCalendarDate(item.DueDate, item.DueDateString),
          currency,
          total: decimalString(item.Total, currency),
          amount_due: decimalString(item.AmountDue, currency),
          status: DOCUMENT_STATUS[String(item.Status)] ?? null,
          lines: lines(item, currency),
        };
      }
      case "expenses": {
        const currency = String(item.CurrencyCode);
        return {
          ...common,
          // Spend money names a contact, who is a supplier in most books; Xero does not mark it one for
          // a spend, so the reference may name a contact outside vendors (served with a null record id).
          vendor_id: idString(child(item, "Contact").ContactID),
          account_id: idString(child(item, "BankAccount").AccountID),
          // Xero records the bank account, not how it was paid.
          payment_type: null,
          date: xeroCalendarDate(item.Date, item.DateString),
          currency,
          total: decimalString(item.Total, currency),
          lines: lines(item, currency),
        };
      }
      default: {
        // A payment settles one invoice (a batch payment is one payment per invoice), in its currency.
        const invoice = child(item, "Invoice");
        const currency = nonEmpty(invoice.CurrencyCode) ?? nonEmpty(item.CurrencyCode);
        const invoiceId = idString(invoice.InvoiceID);
        return {
          ...common,
          customer_id: idString(child(invoice, "Contact").ContactID),
          account_id: idString(child(item, "Account").AccountID),
          invoice_ids: invoiceId ? [invoiceId] : [],
          date: xeroCalendarDate(item.Date, item.DateString),
          currency,
          total: decimalString(item.Amount, currency),
        };
      }
    }
  })();
  return { externalId: id, updatedAt, data, platformData: item };
}
