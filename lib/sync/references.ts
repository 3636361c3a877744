// Served records carry Tributary's record ids: their own (record_id) and, beside each reference the
// unified model declares, the id of the record it names (customer_id → customer_record_id). A
// connector knows only the platform's ids and a referenced record may be stored after the record that
// names it, so the ids are looked up when a page is served: one statement for the whole page
// (sql/record-ids.ts), whatever its number of records and references.
import { rawQuery, type Db } from "@/lib/db/client";
import { eachReference, referencesOf, withRecordIds } from "@/lib/unified";
import { recordIdsSql, type RecordKey } from "./sql/record-ids";

export interface ServedRecord {
  id: string;
  /** Tributary's id of the record; null for a record read from the platform that Tributary does not hold. */
  record_id: string | null;
  data: Record<string, unknown>;
}

export async function withReferences<R extends ServedRecord>(
  db: Db,
  scope: { connectionId: string; category: string; object: string },
  records: R[],
): Promise<R[]> {
  const plan = referencesOf(scope.category, scope.object);
  const keys = new Map<string, RecordKey>();
  const want = (object: string, externalId: string) => keys.set(`${object}\u0000${externalId}`, { object, externalId });
  for (const record of records) {
    if (record.record_id === null) want(scope.object, record.id);
    if (plan) eachReference(plan, record.data, want);
  }
  if (!keys.size) return plan ? records.map((record) => ({ ...record, data: withRecordIds(plan, record.data, () => null) })) : records;
  const sql = recordIdsSql(scope.connectionId, [...keys.values()]);
  const { rows } = await rawQuery<RecordKey & { recordId: string }>(db, sql);
  const found = new Map(rows.map((row) => [`${row.object}\u0000${row.externalId}`, row.recordId]));
  const recordIdOf = (object: string, externalId: string) => found.get(`${object}\u0000${externalId}`) ?? null;
  return records.map((record) => ({
    ...record,
    record_id: record.record_id ?? recordIdOf(scope.object, record.id),
    data: plan ? withRecordIds(plan, record.data, recordIdOf) : record.data,
  }));
}
