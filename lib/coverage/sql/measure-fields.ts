// How often each field of one object is filled in one platform's stored records, in one statement.
//
// The sample: the most recently updated live records of the object across the platform's live
// connections in one organization and environment, at most `limit` of them. Each connection's newest
// are read through records(connection_id, object, last_modified_at, id) backwards, `limit` at most
// per connection, and only the ids and times go to the sort, so the data of a record is read once
// and only for the records measured.
//
// A field is filled when present and not null, and for arrays not empty. Fields of an array's
// objects (`lines[].account_id`) are measured over the array's elements in the sampled records.
import { Prisma } from "@/lib/generated/prisma/client";
import type { EnvironmentKind } from "@/lib/generated/prisma/enums";

export interface MeasureScope {
  organizationId: string;
  environment: EnvironmentKind;
}

/** The fields measured over one set of values: the records themselves (array null), or the elements of `array` in them. */
export interface FieldGroup {
  array: string | null;
  keys: readonly string[];
}

/** Per group, in the order given: how many values were measured, and how many of them had each key filled. */
export interface GroupCounts {
  values: number;
  filled: number[];
}

const filled = (value: Prisma.Sql) => Prisma.sql`${value} not in ('null'::jsonb, '[]'::jsonb)`;

function groupSql(group: FieldGroup): Prisma.Sql {
  const counts = Prisma.join([Prisma.sql`count(*)`, ...group.keys.map((key) => Prisma.sql`count(*) filter (where ${filled(Prisma.sql`v -> ${key}::text`)})`)]);
  if (group.array === null) return Prisma.sql`(select array[${counts}]::int[] from sample s cross join lateral (select s.data as v) x)`;
  const array = Prisma.sql`s.data -> ${group.array}::text`;
  return Prisma.sql`(select array[${counts}]::int[] from sample s
    cross join lateral jsonb_array_elements(case when jsonb_typeof(${array}) = 'array' then ${array} else '[]'::jsonb end) as x(v))`;
}

export function measureFieldsSql(scope: MeasureScope, platform: string, object: string, groups: readonly FieldGroup[], limit: number): Prisma.Sql {
  return Prisma.sql`
    with recent as (
      select r.id
      from connections c
      cross join lateral (
        select r.id, r.last_modified_at from records r
        where r.connection_id = c.id and r.object = ${object} and r.deleted_at is null
        order by r.last_modified_at desc, r.id desc
        limit ${limit}::int
      ) r
      where c.organization_id = ${scope.organizationId} and c.environment = ${scope.environment}::"EnvironmentKind"
        and c.platform = ${platform} and c.deleted_at is null
      order by r.last_modified_at desc, r.id desc
      limit ${limit}::int
    ),
    sample as (select r.data from records r join recent on recent.id = r.id)
    select jsonb_build_array(${Prisma.join(groups.map(groupSql))}) as counts`;
}

export function groupCounts(counts: number[][]): GroupCounts[] {
  return counts.map(([values, ...filledCounts]) => ({ values, filled: filledCounts }));
}
