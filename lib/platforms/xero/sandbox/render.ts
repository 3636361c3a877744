// Stored records as the Accounting API returns them: the id field first (the record's GUID), the
// generated fields, then the fields Xero derives (Date and DateString from the day it was raised,
// UpdatedDateUTC). A deleted document is still served, with Status DELETED (Xero keeps deleted and
// voided invoices, bills, bank transactions and payments; they appear in If-Modified-Since listings);
// a deleted contact or account is ARCHIVED.
import type { StoredRecord } from "@/lib/sandbox/dataset";
import { xeroGuid } from "./ids";
import type { Resource } from "./resources";
import { dateString, dayStart, msDate } from "./time";

/**
 * What summaryOnly=true leaves out (the spec: "only lightweight fields, excluding computation-heavy
 * fields"): line items and allocations of invoices, addresses, phones and people of contacts.
 */
const HEAVY = [
  "LineItems",
  "Payments",
  "CreditNotes",
  "Prepayments",
  "Overpayments",
  "Addresses",
  "Phones",
  "ContactGroups",
  "ContactPersons",
  "BankAccountDetails",
];

export function renderRecord(resource: Resource, record: StoredRecord, options: { lineItems?: boolean; summaryOnly?: boolean } = {}): Record<string, unknown> {
  const out: Record<string, unknown> = { [resource.idField]: xeroGuid(record.object, record.id), ...record.data };
  // A document's Date is the day it was raised, unless a write dated it (writes.ts keeps Date then).
  if (resource.dated && record.data.Date === undefined) {
    out.DateString = dateString(record.createdAt);
    out.Date = msDate(dayStart(record.createdAt));
  }
  if (record.deletedAt !== null) {
    out[resource.statusField] = resource.deletedStatus;
    if (resource.name === "Invoices") out.AmountDue = 0;
  }
  if (options.lineItems === false) delete out.LineItems;
  if (options.summaryOnly) for (const field of HEAVY) delete out[field];
  out.UpdatedDateUTC = msDate(record.updatedAt);
  return out;
}
