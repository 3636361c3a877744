"use client";

import { useMemo, useState, type ReactNode } from "react";
import type { ConnectionStatusJson } from "@/lib/presenters/connections-detail";
import { HealthHistory, RecentRuns, RecordsCard } from "./activity";
import { ConnectionActions } from "./connection-actions";
import { DataBrowser } from "./data-browser";
import { EventLog } from "./event-log";
import { StatusCard } from "./status-card";
import { isSyncing, useConnectionStatus } from "./use-connection";

/**
 * A connection's page below its title, live: everything reads one status query (polled every 2 s
 * while a run is queued or running), started from what the server rendered. The sync timeline is
 * passed in, drawn by its own component.
 */
export function ConnectionView({
  initial,
  canManage,
  confirmationName,
  eventTypes,
  unwindowed = [],
  timeline,
}: {
  initial: ConnectionStatusJson;
  canManage: boolean;
  confirmationName: string;
  eventTypes: string[];
  /** The platform's objects that cannot be limited to a creation window (the backfill says so). */
  unwindowed?: readonly string[];
  timeline: ReactNode;
}) {
  const id = initial.connection.id;
  const query = useConnectionStatus(id, initial);
  const status = query.data ?? initial;
  const syncing = isSyncing(status);
  const [browsing, setBrowsing] = useState<string | null>(null);
  const counts = useMemo(() => new Map(status.records.map((row) => [row.object, row.count])), [status.records]);

  function browse(object: string) {
    setBrowsing(object);
    document.getElementById("data-browser")?.scrollIntoView({ behavior: "smooth", block: "start" });
  }

  // Changes when a run starts or ends or the health moves: the event log's first page and the data
  // browser's page are read again then (while a run is active the log also polls).
  const latest = status.recentRuns[0];
  const version = [latest?.id, latest?.status, status.connection.health, status.healthHistory[0]?.id].join(":");

  return (
    <>
      <ConnectionActions status={status} canManage={canManage} confirmationName={confirmationName} unwindowed={unwindowed} />
      <div className="grid items-start gap-6 xl:grid-cols-3">
        <div className="min-w-0 xl:col-span-2">
          <StatusCard status={status} syncing={syncing} updatedAt={query.dataUpdatedAt} stale={query.isError} />
        </div>
        <div className="min-w-0 space-y-6">
          <RecordsCard status={status} onBrowse={browse} />
          <HealthHistory status={status} />
        </div>
      </div>
      <div className="mt-6 space-y-6">
        {timeline}
        <RecentRuns status={status} />
        <EventLog connectionId={id} types={eventTypes} live={syncing} version={version} />
        <div id="data-browser" className="scroll-mt-6">
          <DataBrowser
            connectionId={id}
            objects={status.objects}
            counts={counts}
            ready={status.connection.isReady}
            deleted={Boolean(status.connection.deletedAt)}
            object={browsing}
            onObject={setBrowsing}
            version={version}
          />
        </div>
      </div>
    </>
  );
}
