import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { buttonClasses } from "@/components/ui/button";

/** A job or run id that is not in the current organization and environment (or no longer exists). */
export default function SyncJobNotFound() {
  return (
    <EmptyState
      title="Not found"
      action={
        <Link href="/sync-jobs" className={buttonClasses("secondary")}>
          All sync jobs
        </Link>
      }
    >
      There is no sync job or run with this id in the current organization and environment. It may have been deleted, or belong to the other environment.
    </EmptyState>
  );
}
