// How long an organization keeps its history (organizations.*_retention_days), with the defaults new
// organizations get: 30 days of events with their deliveries and attempts (webhook services keep 30–90
// days, Svix's plans for example), 90 days of finished runs, 30 days of tombstones. What pruning does
// with them is lib/retention/prune.ts; the Settings page and the README show them.
import { z } from "zod";

export interface RetentionPolicy {
  /** Events, with their webhook deliveries and attempts; expired link sessions go after the same time. */
  eventDays: number;
  /** Finished sync runs (with checkpoints and request logs), sync job runs and writes. */
  runDays: number;
  /** Records deleted on their platform, kept as tombstones for `include_deleted` readers. */
  tombstoneDays: number;
}

export const RETENTION_DEFAULTS: RetentionPolicy = { eventDays: 30, runDays: 90, tombstoneDays: 30 };

/** Each setting's bounds in days: at least a day, at most ten years. */
export const RETENTION_BOUNDS = { min: 1, max: 3650 } as const;

export const RETENTION_FIELDS = [
  {
    name: "eventDays",
    label: "Events and webhook deliveries",
    description: "Events, their deliveries and every attempt's request and response. A delivery still pending is kept, and so is its event, whatever its age.",
  },
  {
    name: "runDays",
    label: "Finished runs",
    description:
      "Sync runs with their checkpoints and request logs, sync job runs and writes. Each connection keeps its latest run; the Overview's hourly history stays.",
  },
  {
    name: "tombstoneDays",
    label: "Deleted records",
    description: "Records deleted on their platform, served with include_deleted so your backend can see the deletion.",
  },
] as const satisfies readonly { name: keyof RetentionPolicy; label: string; description: string }[];

const days = z.coerce
  .number({ error: "must be a whole number of days" })
  .int("must be a whole number of days")
  .min(RETENTION_BOUNDS.min, `must be at least ${RETENTION_BOUNDS.min} day`)
  .max(RETENTION_BOUNDS.max, `must be at most ${RETENTION_BOUNDS.max.toLocaleString("en-US")} days`);

export const retentionInput = z.strictObject({ eventDays: days, runDays: days, tombstoneDays: days });

/** The organization row's columns, as the policy. */
export function retentionOf(organization: { eventRetentionDays: number; runRetentionDays: number; tombstoneRetentionDays: number }): RetentionPolicy {
  return { eventDays: organization.eventRetentionDays, runDays: organization.runRetentionDays, tombstoneDays: organization.tombstoneRetentionDays };
}

/** The policy as the organization row's columns. */
export function retentionColumns(policy: RetentionPolicy) {
  return { eventRetentionDays: policy.eventDays, runRetentionDays: policy.runDays, tombstoneRetentionDays: policy.tombstoneDays };
}
