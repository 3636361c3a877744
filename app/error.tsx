"use client";

import DashboardError from "./(dashboard)/error";

/** Errors above the dashboard's own boundary, e.g. its layout failing to read the session's membership. */
export default function RootError(props: { error: unknown; retry: () => void }) {
  return (
    <main className="px-4 py-10">
      <DashboardError {...props} />
    </main>
  );
}
