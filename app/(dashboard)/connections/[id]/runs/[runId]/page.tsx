import Link from "next/link";
import { notFound } from "next/navigation";
import { requireContext } from "@/lib/auth/context";
import { isId } from "@/lib/db/ids";
import { getRunPage } from "@/lib/runs/run-page";
import { RunView } from "@/components/runs/run-view";

export const metadata = { title: "Sync run" };

export default async function SyncRunPage({ params }: { params: Promise<{ id: string; runId: string }> }) {
  const { id, runId } = await params;
  // A malformed id names nothing: never sent to the database (a NUL byte would fail the query).
  if (!isId("conn", id) || !isId("run", runId)) notFound();
  const context = await requireContext();
  const page = await getRunPage(context.db, id, runId);
  if (!page) notFound();
  return (
    <>
      <Link href={`/connections/${id}`} className="mb-3 inline-block text-sm font-medium text-brand-700 hover:underline">
        ← {page.connection.label}
      </Link>
      <RunView initial={page} />
    </>
  );
}
