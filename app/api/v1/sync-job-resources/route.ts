import { apiRoute } from "@/lib/api/handler";
import { listSyncJobResources } from "@/lib/api/operations/sync-jobs";
import { jobResources } from "@/lib/jobs/resources";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listSyncJobResources, async ({ query }) => {
  return {
    resources: jobResources(query.category).map((resource) => ({
      name: resource.name,
      category: resource.category,
      platforms: resource.platforms,
      query: resource.query.map((parameter) => ({ name: parameter.name, description: parameter.description, format: parameter.format })),
    })),
  };
});
