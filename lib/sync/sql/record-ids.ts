// Tributary's ids of stored records, looked up by what connectors know of them: (object, the
// platform's id) within one connection. One statement for a whole page of records and their
// references, on the (connection_id, object, external_id) unique index.
import { Prisma } from "@/lib/generated/prisma/client";

/**
 * A record's public id from its row id: `rec_` and the bigint as 16 upper-case hex digits (the form
 * RECORD_ID_PATTERN in lib/unified checks), so ids sort as the rows were first stored and cost no
 * column of their own. Row ids are not secret: every read is scoped to one connection's access token.
 */
export const recordIdSql = (column: string) => `'rec_' || lpad(upper(to_hex(${column})), 16, '0')`;

export interface RecordKey {
  object: string;
  externalId: string;
}

export function recordIdsSql(connectionId: string, keys: readonly RecordKey[]): Prisma.Sql {
  return Prisma.sql`
    select r.object, r.external_id as "externalId", ${Prisma.raw(recordIdSql("r.id"))} as "recordId"
    from unnest(${keys.map((k) => k.object)}::text[], ${keys.map((k) => k.externalId)}::text[]) as k(object, external_id)
    join records r on r.connection_id = ${connectionId} and r.object = k.object and r.external_id = k.external_id`;
}
