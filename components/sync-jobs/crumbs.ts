/** The first step of every sync job page's breadcrumb. */
export const SYNC_JOBS = { href: "/sync-jobs", label: "Sync jobs" };
