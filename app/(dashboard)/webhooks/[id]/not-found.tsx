import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { buttonClasses } from "@/components/ui/button";

export default function EndpointNotFound() {
  return (
    <EmptyState
      title="Endpoint not found"
      action={
        <Link href="/webhooks" className={buttonClasses("secondary")}>
          All endpoints
        </Link>
      }
    >
      There is no webhook endpoint with this id in the current organization and environment. It may have been deleted, or belong to the other environment.
    </EmptyState>
  );
}
