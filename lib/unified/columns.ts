// The data browser's columns per object: a few fields that tell one record from another (an order's
// number, customer, total and status; a ticket's subject and status), typed against the category's
// contract, so a renamed field fails typecheck here rather than showing an empty column. `search`
// marks the text fields the browser's text search matches (ILIKE, lib/sync/reads.ts).
import type { z } from "zod";
import { ACCOUNTING as accounting } from "./accounting";
import { COMMERCE as commerce } from "./commerce";
import type { UNIFIED_MODELS } from "./index";
import { TICKETING as ticketing } from "./ticketing";

type Contract = z.ZodObject<z.ZodRawShape>;
type FieldOf<S extends Contract> = Extract<keyof z.infer<S>, string>;

/** How a cell shows its value: money with the record's currency field beside it; dates and instants formatted. */
export type ColumnKind = "text" | "money" | "instant" | "date" | "status" | "number";

export interface RecordColumn<S extends Contract = Contract> {
  field: FieldOf<S>;
  label: string;
  kind: ColumnKind;
  /** money: the field holding the currency code. */
  currency?: FieldOf<S>;
  /** Matched by the browser's text search. */
  search?: true;
}

const columns = <S extends Contract>(_contract: S, list: RecordColumn<S>[]): RecordColumn[] => list as unknown as RecordColumn[];

type Models = typeof UNIFIED_MODELS;

export const RECORD_COLUMNS: { [C in keyof Models]: { [O in keyof Models[C]]: RecordColumn[] } } = {
  commerce: {
    orders: columns(commerce.orders, [
      { field: "order_number", label: "Number", kind: "text", search: true },
      { field: "email", label: "Customer", kind: "text", search: true },
      { field: "total_price", label: "Total", kind: "money", currency: "currency" },
      { field: "payment_status", label: "Payment", kind: "status" },
      { field: "fulfillment_status", label: "Fulfillment", kind: "status" },
      { field: "updated_at", label: "Updated", kind: "instant" },
    ]),
    products: columns(commerce.products, [
      { field: "title", label: "Title", kind: "text", search: true },
      { field: "vendor", label: "Vendor", kind: "text", search: true },
      { field: "product_type", label: "Type", kind: "text", search: true },
      { field: "status", label: "Status", kind: "status" },
      { field: "updated_at", label: "Updated", kind: "instant" },
    ]),
    collections: columns(commerce.collections, [
      { field: "title", label: "Title", kind: "text", search: true },
      { field: "handle", label: "Handle", kind: "text", search: true },
      { field: "published_at", label: "Published", kind: "instant" },
      { field: "updated_at", label: "Updated", kind: "instant" },
    ]),
    customers: columns(commerce.customers, [
      { field: "first_name", label: "First name", kind: "text", search: true },
      { field: "last_name", label: "Last name", kind: "text", search: true },
      { field: "email", label: "Email", kind: "text", search: true },
      { field: "total_spent", label: "Spent", kind: "money", currency: "currency" },
      { field: "updated_at", label: "Updated", kind: "instant" },
    ]),
    transactions: columns(commerce.transactions, [
      { field: "kind", label: "Kind", kind: "status", search: true },
      { field: "amount", label: "Amount", kind: "money", currency: "currency" },
      { field: "status", label: "Status", kind: "status" },
      { field: "gateway", label: "Gateway", kind: "text", search: true },
      { field: "created_at", label: "Created", kind: "instant" },
    ]),
  },
  accounting: {
    accounts: columns(accounting.accounts, [
      { field: "name", label: "Name", kind: "text", search: true },
      { field: "number", label: "Number", kind: "text", search: true },
      { field: "classification", label: "Classification", kind: "status" },
      { field: "balance", label: "Balance", kind: "money", currency: "currency" },
      { field: "updated_at", label: "Updated", kind: "instant" },
    ]),
    vendors: columns(accounting.vendors, [
      { field: "name", label: "Name", kind: "text", search: true },
      { field: "email", label: "Email", kind: "text", search: true },
      { field: "balance", label: "Balance", kind: "money", currency: "currency" },
      { field: "updated_at", label: "Updated", kind: "instant" },
    ]),
    customers: columns(accounting.customers, [
      { field: "name", label: "Name", kind: "text", search: true },
      { field: "email", label: "Email", kind: "text", search: true },
      { field: "balance", label: "Balance", kind: "money", currency: "currency" },
      { field: "updated_at", label: "Updated", kind: "instant" },
    ]),
    bills: columns(accounting.bills, [
      { field: "number", label: "Number", kind: "text", search: true },
      { field: "total", label: "Total", kind: "money", currency: "currency" },
      { field: "due_date", label: "Due", kind: "date" },
      { field: "status", label: "Status", kind: "status" },
      { field: "updated_at", label: "Updated", kind: "instant" },
    ]),
    invoices: columns(accounting.invoices, [
      { field: "number", label: "Number", kind: "text", search: true },
      { field: "total", label: "Total", kind: "money", currency: "currency" },
      { field: "amount_due", label: "Due amount", kind: "money", currency: "currency" },
      { field: "due_date", label: "Due", kind: "date" },
      { field: "status", label: "Status", kind: "status" },
    ]),
    expenses: columns(accounting.expenses, [
      { field: "date", label: "Date", kind: "date" },
      { field: "payment_type", label: "Paid by", kind: "text", search: true },
      { field: "total", label: "Total", kind: "money", currency: "currency" },
      { field: "updated_at", label: "Updated", kind: "instant" },
    ]),
    payments: columns(accounting.payments, [
      { field: "date", label: "Date", kind: "date" },
      { field: "total", label: "Total", kind: "money", currency: "currency" },
      { field: "updated_at", label: "Updated", kind: "instant" },
    ]),
  },
  ticketing: {
    tickets: columns(ticketing.tickets, [
      { field: "subject", label: "Subject", kind: "text", search: true },
      { field: "status", label: "Status", kind: "status" },
      { field: "priority", label: "Priority", kind: "status" },
      { field: "type", label: "Type", kind: "status" },
      { field: "updated_at", label: "Updated", kind: "instant" },
    ]),
    comments: columns(ticketing.comments, [
      { field: "body", label: "Comment", kind: "text", search: true },
      { field: "public", label: "Public", kind: "status" },
      { field: "created_at", label: "Created", kind: "instant" },
    ]),
    users: columns(ticketing.users, [
      { field: "name", label: "Name", kind: "text", search: true },
      { field: "email", label: "Email", kind: "text", search: true },
      { field: "role", label: "Role", kind: "status" },
      { field: "updated_at", label: "Updated", kind: "instant" },
    ]),
    organizations: columns(ticketing.organizations, [
      { field: "name", label: "Name", kind: "text", search: true },
      { field: "updated_at", label: "Updated", kind: "instant" },
    ]),
  },
};

const table = RECORD_COLUMNS as unknown as Readonly<Record<string, Readonly<Record<string, RecordColumn[]>>>>;

/** The object's columns; none for an object without a contract. */
export function recordColumns(category: string, object: string): RecordColumn[] {
  return Object.hasOwn(table, category) && Object.hasOwn(table[category], object) ? table[category][object] : [];
}

/** The fields the text search matches for the object. */
export function searchFields(category: string, object: string): string[] {
  return recordColumns(category, object)
    .filter((column) => column.search)
    .map((column) => column.field);
}
