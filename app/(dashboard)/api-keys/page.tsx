import { hasRole, requireContext } from "@/lib/auth/context";
import { getApiKeys } from "@/lib/presenters/api-keys";
import { PageHeader } from "@/components/ui/page-header";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, Cell } from "@/components/ui/table";
import { DateTime } from "@/components/ui/date-time";
import { CreateApiKey } from "./create-api-key";
import { RevokeApiKey } from "./revoke-api-key";

export const metadata = { title: "API keys" };

export default async function ApiKeysPage() {
  const context = await requireContext();
  const keys = await getApiKeys(context.db);
  const now = new Date();
  const canManage = hasRole(context, "admin");

  return (
    <>
      <PageHeader
        title="API keys"
        description={`Credentials your backend uses to call Tributary's REST API in ${context.environment}; each key works in this environment only.`}
      />
      {canManage ? (
        <CreateApiKey environment={context.environment} />
      ) : (
        <p className="mb-6 text-sm text-slate-500">Only owners and admins can create or revoke API keys.</p>
      )}
      {keys.length === 0 ? (
        <EmptyState title={`No API keys for ${context.environment} yet`}>
          An API key authenticates your backend&apos;s calls to the REST API: send{" "}
          <code className="font-mono text-xs">Authorization: Basic base64(client_id:secret)</code> with every request, for example to create the link sessions
          that let your customers connect their accounts. The secret is shown once, when the key is created: store it in your secret manager right away, since
          Tributary keeps only a hash of it.
        </EmptyState>
      ) : (
        <>
          <Table
            head={[
              "Name",
              "Client ID",
              "Secret",
              "Created",
              "Last used",
              "Status",
              ...(canManage
                ? [
                    <span key="actions" className="sr-only">
                      Actions
                    </span>,
                  ]
                : []),
            ]}
          >
            {keys.map((key) => (
              <tr key={key.id} className={key.revokedAt ? "bg-slate-50/60" : undefined}>
                <Cell className="font-medium text-slate-900">{key.name}</Cell>
                <Cell>
                  <code className="font-mono text-xs">{key.clientId}</code>
                </Cell>
                <Cell>
                  <code className="font-mono text-xs" aria-label={`Secret ending in ${key.secretHint}`}>
                    ••••{key.secretHint}
                  </code>
                </Cell>
                <Cell>
                  <DateTime value={key.createdAt} now={now} stacked />
                </Cell>
                <Cell>{key.lastUsedAt ? <DateTime value={key.lastUsedAt} now={now} stacked /> : <span className="text-slate-500">Never</span>}</Cell>
                <Cell>
                  {key.revokedAt ? (
                    <>
                      <Badge tone="red">Revoked</Badge>
                      <span className="mt-1 block text-xs text-slate-500">
                        <DateTime value={key.revokedAt} now={now} />
                      </span>
                    </>
                  ) : (
                    <Badge tone="green">Active</Badge>
                  )}
                </Cell>
                {canManage && <Cell className="text-right">{key.revokedAt ? null : <RevokeApiKey id={key.id} name={key.name} clientId={key.clientId} />}</Cell>}
              </tr>
            ))}
          </Table>
          <p className="mt-3 text-xs text-slate-500">Secrets are shown once, at creation; only their last four characters are kept here to tell keys apart.</p>
        </>
      )}
    </>
  );
}
