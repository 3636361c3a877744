import { invalid } from "@/lib/api/errors";
import { apiRoute } from "@/lib/api/handler";
import { getFieldCoverage } from "@/lib/api/operations/coverage";
import { COVERAGE_SAMPLE_SIZE, loadFieldCoverage } from "@/lib/coverage";
import { withArticle } from "@/lib/format";
import { getPlatform } from "@/lib/platforms/catalog";

export const dynamic = "force-dynamic";

export const GET = apiRoute(getFieldCoverage, async ({ query, scope, engine }) => {
  const platform = query.platform ? getPlatform(query.platform) : undefined;
  if (platform && query.category && platform.category !== query.category)
    throw invalid("platform", `${platform.key} is ${withArticle(platform.category)} platform, not ${query.category}`);
  const objects = await loadFieldCoverage(engine.db, scope, { category: query.category, platform: query.platform });
  return { objects, sample_size: COVERAGE_SAMPLE_SIZE };
});
