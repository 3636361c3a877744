// The Accounting API's list endpoints the sandbox serves, and how each maps onto dataset objects.
import { type XeroObject } from "./objects";

export interface Resource {
  /** The path segment and the envelope's array: "Invoices". */
  name: string;
  idField: string;
  /** Dataset objects served by this endpoint. */
  objects: XeroObject[];
  /** page/pageSize and the pagination block (Accounts are unpaged). */
  paged: boolean;
  /** Whether records carry Date/DateString (documents). */
  dated: boolean;
  /** The field that tells a deleted record, and its value then (contacts are archived, documents deleted). */
  statusField: "Status" | "ContactStatus";
  deletedStatus: "DELETED" | "ARCHIVED";
  /** The status of a generated record that was never changed (invoices and bills draw theirs: objects.ts). */
  generatedStatus: string;
  /** Deleted (archived) records are listed only with includeArchived=true (Contacts). */
  archivedOnRequest: boolean;
  /** Where conditions that select dataset objects: field → value → objects. */
  selectors: Record<string, Record<string, XeroObject[]>>;
}

export const RESOURCES: Resource[] = [
  {
    name: "Accounts",
    idField: "AccountID",
    objects: ["Account"],
    paged: false,
    dated: false,
    statusField: "Status",
    deletedStatus: "ARCHIVED",
    generatedStatus: "ACTIVE",
    archivedOnRequest: false,
    selectors: {},
  },
  {
    name: "Contacts",
    idField: "ContactID",
    objects: ["Supplier", "Customer"],
    paged: true,
    dated: false,
    statusField: "ContactStatus",
    deletedStatus: "ARCHIVED",
    generatedStatus: "ACTIVE",
    archivedOnRequest: true,
    selectors: { IsCustomer: { true: ["Customer"], false: ["Supplier"] }, IsSupplier: { true: ["Supplier"], false: ["Customer"] } },
  },
  {
    name: "Invoices",
    idField: "InvoiceID",
    objects: ["Bill", "Invoice"],
    paged: true,
    dated: true,
    statusField: "Status",
    deletedStatus: "DELETED",
    generatedStatus: "AUTHORISED",
    archivedOnRequest: false,
    selectors: { Type: { ACCPAY: ["Bill"], ACCREC: ["Invoice"] } },
  },
  {
    name: "BankTransactions",
    idField: "BankTransactionID",
    objects: ["SpendMoney", "ReceiveMoney"],
    paged: true,
    dated: true,
    statusField: "Status",
    deletedStatus: "DELETED",
    generatedStatus: "AUTHORISED",
    archivedOnRequest: false,
    selectors: { Type: { SPEND: ["SpendMoney"], RECEIVE: ["ReceiveMoney"] } },
  },
  {
    name: "Payments",
    idField: "PaymentID",
    objects: ["Payment"],
    paged: true,
    dated: true,
    statusField: "Status",
    deletedStatus: "DELETED",
    generatedStatus: "AUTHORISED",
    archivedOnRequest: false,
    selectors: {},
  },
];

export const RESOURCE_BY_NAME = new Map(RESOURCES.map((r) => [r.name.toLowerCase(), r]));
export const RESOURCE_OF_OBJECT = new Map(RESOURCES.flatMap((r) => r.objects.map((o) => [o as string, r] as const)));
