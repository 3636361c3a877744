// The repository's README, rendered in the app: self-hosters read it offline, and it matches the
// version they run. Read from the working directory the server was started in (the repository root).
import { readFile } from "node:fs/promises";
import path from "node:path";
import Link from "next/link";
import { requireContext } from "@/lib/auth/context";
import { PageHeader } from "@/components/ui/page-header";
import { Markdown } from "@/components/api-reference/markdown";

export const metadata = { title: "README" };

export default async function ReadmePage() {
  await requireContext();
  const source = await readFile(path.join(process.cwd(), "README.md"), "utf8").catch(() => null);
  return (
    <>
      <PageHeader
        title="README"
        description={
          <>
            How to run, configure and extend Tributary. The REST API operation by operation is in the{" "}
            <Link href="/api-reference" className="font-medium text-brand-700 hover:underline">
              API reference
            </Link>
            .
          </>
        }
      />
      <article className="max-w-4xl rounded-lg border border-slate-200 bg-surface px-6 py-6 shadow-sm sm:px-8">
        {source === null ? (
          <p className="text-sm text-slate-600">README.md was not found beside the server (it is read from the directory the server started in).</p>
        ) : (
          <Markdown source={source} />
        )}
      </article>
    </>
  );
}
