// Ordered streams. An endpoint receives its deliveries in streams: each connection's events form one
// (`connection:<id>`), each sync job run's events another (`sync_job_run:<id>`, sent by the run with
// its own back-pressure), every ENDPOINT_TEST its own (`endpoint_test:<delivery id>`, so a test is
// never held behind anything), and events of no connection (endpoint and organization events) the
// endpoint's own (`endpoint`). Within a stream deliveries are numbered from 1 without gaps as they are
// created, and sent in that order (claims.ts); streams are independent of each other.
import { Prisma } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/db/ids";

export const ENDPOINT_STREAM = "endpoint";

/** The stream of an event fanned out to an endpoint (fan-out never sees addressed events). */
export function streamOf(event: { connectionId: string | null }): string {
  return event.connectionId ? `connection:${event.connectionId}` : ENDPOINT_STREAM;
}

export const syncJobRunStream = (runId: string) => `sync_job_run:${runId}`;
export const endpointTestStream = (deliveryId: string) => `endpoint_test:${deliveryId}`;

export interface NewDelivery {
  organizationId: string;
  environment: "sandbox" | "production";
  endpointId: string;
  eventId: string;
  stream: string;
}

/**
 * One statement that creates deliveries, numbered in the order given within each stream: the
 * streams' counters move by the batch's count (their rows stay locked to the transaction's end, so
 * two writers to one stream take turns and no number is given twice or skipped), and a pair that
 * already has a delivery takes no number. Returns the count created.
 */
export function insertSequencedDeliveriesSql(rows: NewDelivery[], options: { nextAttemptAt?: Date } = {}): Prisma.Sql {
  return Prisma.sql`
    with batch as (
      select t.* from unnest(${rows.map(() => newId("dlv"))}::text[], ${rows.map((d) => d.organizationId)}::text[], ${rows.map((d) => d.environment)}::text[],
                             ${rows.map((d) => d.endpointId)}::text[], ${rows.map((d) => d.eventId)}::text[], ${rows.map((d) => d.stream)}::text[])
        with ordinality as t(id, organization_id, environment, endpoint_id, event_id, stream, ord)
      where not exists (select 1 from deliveries x where x.endpoint_id = t.endpoint_id and x.event_id = t.event_id)
    ), counts as (
      select endpoint_id, stream, count(*)::int as n from batch group by endpoint_id, stream
    ), counters as (
      insert into webhook_streams (endpoint_id, stream, last_sequence)
      select endpoint_id, stream, n from counts
      on conflict (endpoint_id, stream) do update set last_sequence = webhook_streams.last_sequence + excluded.last_sequence
      returning endpoint_id, stream, last_sequence
    )
    insert into deliveries (id, organization_id, environment, endpoint_id, event_id, stream, sequence, next_attempt_at, updated_at)
    select b.id, b.organization_id, b.environment::"EnvironmentKind", b.endpoint_id, b.event_id, b.stream,
           c.last_sequence - n.n + row_number() over (partition by b.endpoint_id, b.stream order by b.ord),
           coalesce(${options.nextAttemptAt ?? null}::timestamptz, now()), now()
    from batch b join counts n using (endpoint_id, stream) join counters c using (endpoint_id, stream)`;
}
