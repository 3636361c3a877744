import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { buttonClasses } from "@/components/ui/button";

export default function ConnectionNotFound() {
  return (
    <EmptyState
      title="Connection not found"
      action={
        <Link href="/connections" className={buttonClasses("secondary")}>
          All connections
        </Link>
      }
    >
      There is no connection with this id in the current organization and environment. It may belong to the other environment: switch environments in the
      header, or pick a connection from the list.
    </EmptyState>
  );
}
