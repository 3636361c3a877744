import Link from "next/link";
import { requireContext } from "@/lib/auth/context";
import { openApiDocument } from "@/lib/api/openapi";
import { PageHeader } from "@/components/ui/page-header";
import { ApiReference } from "@/components/api-reference/api-reference";

export const metadata = { title: "API reference" };

export default async function ApiReferencePage() {
  await requireContext();
  return (
    <>
      <PageHeader
        title="API reference"
        description={
          <>
            The REST API your backend calls with an API key, read from the same OpenAPI document{" "}
            <code className="font-mono text-xs">GET /api/v1/openapi.json</code> serves. Setup and concepts are in the{" "}
            <Link href="/readme" className="font-medium text-brand-700 hover:underline">
              README
            </Link>
            .
          </>
        }
      />
      <ApiReference document={openApiDocument()} />
    </>
  );
}
