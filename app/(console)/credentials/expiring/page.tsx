import type { Metadata } from "next";
import Link from "next/link";
import { Pager } from "@/components/Pager";
import { EmptyState, PageHeader, Timestamp, DataTable } from "@/components/ui";
import { requireUser } from "@/lib/auth/session";
import { daysUntil } from "@/lib/credentials/lifecycle";
import { expiringForPage } from "@/lib/credentials/pages";
import type { SearchParams } from "@/lib/lists/page-params";

export const metadata: Metadata = { title: "Expiring soon" };

const WINDOW_DAYS = 30;

export default async function ExpiringSoonPage(props: { searchParams: Promise<SearchParams> }) {
  const user = await requireUser();
  const { items: credentials, links } = await expiringForPage(user, WINDOW_DAYS, await props.searchParams);
  return (
    <>
      <PageHeader title="Expiring soon" subtitle={`Active credentials on your Clouds that expire within ${WINDOW_DAYS} days, soonest first.`} />
      {credentials.length === 0 ? (
        <EmptyState>Nothing expires in the next {WINDOW_DAYS} days.</EmptyState>
      ) : (
        <DataTable framed columns={["Credential", "Cloud", "Expires", "In"]}>
          {credentials.map((c) => (
            <tr key={c.id}>
              <td className="px-4 py-3">
                <Link href={`/credentials/${c.id}`} className="font-medium text-indigo-700 hover:underline">
                  {c.displayName}
                </Link>
              </td>
              <td className="px-4 py-3 font-mono text-xs">{c.cloudSlug}</td>
              <td className="px-4 py-3 text-slate-600">
                <Timestamp value={c.expiresAt} />
              </td>
              <td className="px-4 py-3">{daysUntil(c.expiresAt)} days</td>
            </tr>
          ))}
        </DataTable>
      )}
      <Pager links={links} label="Expiring credentials" />
    </>
  );
}
