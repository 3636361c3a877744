-- Written by hand (Prisma cannot express these, and its diff ignores them): a statement that adds
-- events still to be fanned out wakes the webhook sender, which LISTENs on "tributary_events"
-- (lib/db/listen.ts, lib/worker/worker.ts), instead of leaving them to its next poll. Addressed events
-- (a test event, a sync job run's page) are written already fanned out with their delivery, and wake
-- nothing. PostgreSQL sends the notification at commit, once per transaction however many statements
-- raised it; a rolled-back insert sends none.
CREATE FUNCTION "events_wake_sender"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM new_rows WHERE "fanned_out_at" IS NULL) THEN
    PERFORM pg_notify('tributary_events', '');
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "events_wake_sender" AFTER INSERT ON "events" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "events_wake_sender"();
