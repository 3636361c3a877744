import { hasRole, requireContext } from "@/lib/auth/context";
import { getSyncConfigurationEditor } from "@/lib/presenters/sync-configuration";
import { PageHeader } from "@/components/ui/page-header";
import { SyncConfigurationEditor } from "@/components/configuration/sync-configuration-editor";

export const metadata = { title: "Sync configuration" };

export default async function SyncConfigurationPage() {
  const context = await requireContext();
  const data = await getSyncConfigurationEditor(context.db, { organizationId: context.organization.id, environment: context.environment });
  const canEdit = hasRole(context, "admin");

  return (
    <>
      <PageHeader
        title="Sync configuration"
        description={`What connections in ${context.environment} import, in which initial batches, how far back and how often. A platform's override wins over the organization; a connection's own settings (on its page or through the API) win over both.`}
      />
      {!canEdit && <p className="mb-4 text-sm text-slate-500">Only owners and admins can change the sync configuration.</p>}
      <SyncConfigurationEditor data={data} canEdit={canEdit} environment={context.environment} />
    </>
  );
}
