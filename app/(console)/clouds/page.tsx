import type { Metadata } from "next";
import Link from "next/link";
import { DataTable } from "@/components/DataTable";
import { EmptyState, Notice, PageHeader, Timestamp, buttonClass, inputClass } from "@/components/ui";
import { requireUser } from "@/lib/auth/session";
import { PROVIDER_LABELS } from "@/lib/clouds/schema";
import { canCreateClouds } from "@/lib/clouds/service";
import { cloudsForPage, formatCredentialCount } from "@/lib/clouds/pages";
import type { SearchParams } from "@/lib/lists/page-params";
import { Pager } from "@/components/Pager";

export const metadata: Metadata = { title: "Clouds" };

export default async function CloudsPage(props: { searchParams: Promise<SearchParams> }) {
  const user = await requireUser();
  const searchParams = await props.searchParams;
  const [{ items: clouds, links, filter }, mayCreate] = await Promise.all([cloudsForPage(user, searchParams), canCreateClouds(user)]);

  return (
    <>
      <PageHeader
        title="Clouds"
        subtitle="Provider accounts, and the credentials that pay for provisioning against them."
        actions={
          mayCreate && (
            <Link href="/clouds/new" className={buttonClass.primary}>
              New Cloud
            </Link>
          )
        }
      />
      {searchParams.deleted === "1" && (
        <div className="mb-4">
          <Notice tone="success" role="status">
            Cloud deleted.
          </Notice>
        </div>
      )}
      <form role="search" className="mb-4 flex max-w-md gap-2" action="/clouds">
        <label htmlFor="q" className="sr-only">
          Filter by slug or name
        </label>
        <input id="q" name="q" type="search" defaultValue={filter} placeholder="Filter by slug or name" className={inputClass} />
        <button type="submit" className={buttonClass.secondary}>
          Filter
        </button>
      </form>
      {clouds.length === 0 ? (
        <EmptyState
          action={
            filter ? { href: "/clouds", label: "Show every Cloud" } : mayCreate ? { href: "/clouds/new", label: "New Cloud" } : undefined
          }
        >
          {filter
            ? "No Cloud matches this filter."
            : mayCreate
              ? "No Clouds yet. Create the first one, then issue its credentials."
              : "No Cloud is shared with you yet. Ask a platform operator to share one with you."}
        </EmptyState>
      ) : (
        <DataTable
          framed
          label="Clouds"
          columns={["Slug", "Display name", "Provider", { label: "Credentials", align: "right" }, "Created"]}
        >
          {clouds.map((cloud) => (
            <tr key={cloud.id} className="hover:bg-slate-50">
              <td className="px-4 py-3 font-mono text-xs">
                <Link href={`/clouds/${cloud.id}`} className="font-medium text-indigo-700 hover:underline">
                  {cloud.slug}
                </Link>
              </td>
              <td className="px-4 py-3">{cloud.displayName}</td>
              <td className="px-4 py-3" title={PROVIDER_LABELS[cloud.provider]}>
                {cloud.provider}
              </td>
              <td className="px-4 py-3 text-right tabular-nums">{formatCredentialCount(cloud.credentialCount)}</td>
              <td className="px-4 py-3 text-slate-600">
                <Timestamp value={cloud.createdAt} />
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <Pager links={links} label="Clouds" />
    </>
  );
}
