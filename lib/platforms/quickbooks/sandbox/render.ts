// Stored records as QBO entities: the platform-owned fields (Id, SyncToken, MetaData, domain, sparse)
// come from the StoredRecord, the rest from the record's data.
//
// SyncToken: QBO increments it on every update and clients only echo it back (optimistic concurrency).
// The Dataset keeps no update counter, so the token is derived from how far the last update lies after
// creation, in milliseconds: "0" for a record never updated, and strictly larger after each update
// (Dataset.update moves updatedAt forward by at least 1 ms). It is a string of digits, like QBO's, but
// not a small counter.
//
// Known gap: a Payment's CustomerRef and its LinkedTxn invoice are drawn independently (BuildInput.ref
// cannot read the referenced invoice), so the payment's customer is not always the invoice's customer.
import type { StoredRecord } from "@/lib/sandbox/dataset";
import { formatQboDateTime } from "./time";

export function quickBooksSyncToken(record: StoredRecord): string {
  return String(Math.max(0, record.updatedAt - record.createdAt));
}

/** A record as QBO returns it; a deleted record as CDC reports it ({ status: "Deleted" }). */
export function quickBooksRecordJson(record: StoredRecord): Record<string, unknown> {
  if (record.deletedAt !== null) {
    return { domain: "QBO", status: "Deleted", Id: String(record.id), MetaData: { LastUpdatedTime: formatQboDateTime(record.updatedAt) } };
  }
  return {
    ...record.data,
    domain: "QBO",
    sparse: false,
    Id: String(record.id),
    SyncToken: quickBooksSyncToken(record),
    MetaData: { CreateTime: formatQboDateTime(record.createdAt), LastUpdatedTime: formatQboDateTime(record.updatedAt) },
  };
}
