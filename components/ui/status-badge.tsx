// Colored badges for the domain's state machines, so a status reads the same on every page.
import type { ConnectionHealth, ConnectionStage } from "@/lib/generated/prisma/enums";
import { humanize } from "@/lib/format";
import { Badge, type Tone } from "./badge";

const HEALTH_TONES: Record<ConnectionHealth, Tone> = {
  HEALTHY: "green",
  UNHEALTHY: "yellow",
  NEEDS_UPDATE: "red",
  DISABLED: "gray",
};

const STAGE_TONES: Record<ConnectionStage, Tone> = {
  INITIAL_SYNC: "blue",
  HISTORICAL_SYNC: "blue",
  ONGOING: "green",
};

// Runs (sync runs and job runs: one vocabulary, lib/lifecycles.ts), deliveries and a job run's
// resources share their words: final success is green, failure red, in-flight blue, paused by a rate
// limit yellow, ended by someone (or never reached) gray.
const STATUS_TONES: Record<string, Tone> = {
  succeeded: "green",
  failed: "red",
  queued: "blue",
  running: "blue",
  pending: "blue",
  rate_limited: "yellow",
  cancelled: "gray",
  not_reached: "gray",
};

export function HealthBadge({ health }: { health: ConnectionHealth }) {
  return <Badge tone={HEALTH_TONES[health]}>{humanize(health)}</Badge>;
}

export function StageBadge({ stage }: { stage: ConnectionStage }) {
  return <Badge tone={STAGE_TONES[stage]}>{humanize(stage)}</Badge>;
}

export function StatusBadge({ status }: { status: string }) {
  return <Badge tone={STATUS_TONES[status] ?? "gray"}>{humanize(status)}</Badge>;
}

export function YesNoBadge({ value, yes = "Yes", no = "No" }: { value: boolean; yes?: string; no?: string }) {
  return <Badge tone={value ? "green" : "gray"}>{value ? yes : no}</Badge>;
}
