import type { Metadata } from "next";
import { DataTable } from "@/components/DataTable";
import { Card, EmptyState, PageHeader, Timestamp } from "@/components/ui";
import { requireUser } from "@/lib/auth/session";
import { tokensForPage } from "@/lib/tokens/pages";
import type { SearchParams } from "@/lib/lists/page-params";
import { Pager } from "@/components/Pager";
import { CreateTokenForm } from "./CreateTokenForm";
import { RevokeTokenButton } from "./RevokeTokenButton";

export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage(props: { searchParams: Promise<SearchParams> }) {
  const user = await requireUser();
  const { items: tokens, links } = await tokensForPage(user, await props.searchParams);
  return (
    <>
      <PageHeader
        title="API tokens"
        subtitle={
          <>
            Bearer tokens for the <span className="font-mono">/v1</span> API, acting as you. A token is shown once, when it is created.
          </>
        }
      />
      <div className="max-w-3xl space-y-6">
        <Card title="New token">
          <CreateTokenForm />
        </Card>
        <Card title="Your tokens">
          {tokens.length === 0 ? (
            <EmptyState>No live tokens. Create one above to call the API or sign in plexctl.</EmptyState>
          ) : (
            <DataTable
              label="Your tokens"
              columns={["Name", "Environment", "Created", "Expires", "Last used", { label: "Actions", align: "right", srOnly: true }]}
            >
              {tokens.map((token) => (
                <tr key={token.id} data-token-id={token.id}>
                  <td className="py-2 pr-4 font-medium text-slate-900 break-words">{token.name}</td>
                  <td className="py-2 pr-4 font-mono text-xs">psk_{token.envPrefix}_…</td>
                  <td className="py-2 pr-4 text-slate-600">
                    <Timestamp value={token.createdAt} />
                    {token.createdBy && (
                      <div className="text-xs text-slate-500">by {token.createdBy.id === user.id ? "you" : token.createdBy.email}</div>
                    )}
                  </td>
                  <td className="py-2 pr-4 text-slate-600">
                    <Timestamp value={token.expiresAt} />
                  </td>
                  <td className="py-2 pr-4 text-slate-600">{token.lastUsedAt ? <Timestamp value={token.lastUsedAt} /> : "Never"}</td>
                  <td className="py-2 text-right">
                    <RevokeTokenButton tokenId={token.id} name={token.name} />
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
          <Pager links={links} label="Tokens" />
        </Card>
      </div>
    </>
  );
}
