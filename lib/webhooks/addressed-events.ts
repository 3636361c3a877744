// Events addressed to one endpoint (a test event, a sync job run's stream; isAddressedEvent): written
// already fanned out, together with their one delivery, as one statement. Other endpoints never see
// them, and the delivery exists from the moment the event does.
import { Prisma } from "@/lib/generated/prisma/client";
import { eventSql, type EventRow } from "@/lib/events/emit";

export interface AddressedEvent {
  event: EventRow;
  endpointId: string;
  deliveryId: string;
  /** Its stream (streams.ts); the delivery takes the stream's next number in the same statement. */
  stream: string;
  /**
   * The writer makes the first attempt itself: the delivery starts leased to it for `ms`, so the
   * delivery pump leaves that attempt alone.
   */
  lease?: { owner: string; ms: number };
  /**
   * A write the event belongs with (`update … returning …`), run in the same statement: when it
   * returns no row, neither the event nor its delivery is written (the caller sees 0 rows).
   */
  onlyWith?: Prisma.Sql;
}

/** The statement; it affects one row (the delivery) when written, and returns the delivery's `sequence`. */
export function addressedEventSql(input: AddressedEvent): Prisma.Sql {
  const { lease } = input;
  const event = eventSql({ ...input.event, fannedOut: true }, input.onlyWith ? { from: "guard" } : {});
  return Prisma.sql`
    with ${input.onlyWith ? Prisma.sql`guard as (${input.onlyWith}),` : Prisma.empty}
    event as (${event} returning id, organization_id, environment),
    counter as (
      insert into webhook_streams (endpoint_id, stream, last_sequence) select ${input.endpointId}, ${input.stream}, 1 from event
      on conflict (endpoint_id, stream) do update set last_sequence = webhook_streams.last_sequence + 1
      returning last_sequence
    )
    insert into deliveries (id, organization_id, environment, endpoint_id, event_id, stream, sequence, next_attempt_at, lease_owner, lease_expires_at, updated_at)
    select ${input.deliveryId}, event.organization_id, event.environment, ${input.endpointId}, event.id, ${input.stream}, counter.last_sequence, now(),
           ${lease?.owner ?? null}, ${lease ? Prisma.sql`now() + make_interval(secs => ${lease.ms / 1000}::double precision)` : Prisma.sql`null`}, now()
    from event, counter
    returning sequence`;
}
