import type { Metadata } from "next";
import Link from "next/link";
import { DataTable } from "@/components/DataTable";
import { IdWithCopy } from "@/components/CopyButton";
import { Card, DescriptionList, EmptyState, PageHeader, StatusBadge, Timestamp, buttonClass, inputClass } from "@/components/ui";
import { requireUser } from "@/lib/auth/session";
import { PROVIDER_LABELS } from "@/lib/clouds/schema";
import { canManageCloud, getCloud } from "@/lib/clouds/service";
import { cloudCredentialsForPage } from "@/lib/credentials/pages";
import type { SearchParams } from "@/lib/lists/page-params";
import { Pager } from "@/components/Pager";
import { loadOr404 } from "@/lib/pages";
import { listProjectsPage, projectsUsingCloud } from "@/lib/projects/service";
import { listCloudGrants } from "@/lib/clouds/sharing";
import { env } from "@/lib/env";
import { authorizeReminderSettings } from "@/lib/reminders/settings";
import { Reminders } from "./Reminders";
import { accessHolders } from "@/lib/authz/lookup";
import { groupChoices } from "@/lib/identity/group-admin";
import { DeleteCloudButton } from "./DeleteCloudButton";
import { PayloadShapeSetting } from "./PayloadShapeSetting";
import { Sharing } from "./Sharing";
import { UsableInProject } from "./UsableInProject";

type Props = { params: Promise<{ cloudId: string }> };

export async function generateMetadata(props: Props): Promise<Metadata> {
  const cloud = await loadOr404(getCloud(await requireUser(), (await props.params).cloudId));
  return { title: `Cloud ${cloud.displayName}` };
}

export default async function CloudPage(props: Props & { searchParams: Promise<SearchParams> }) {
  const user = await requireUser();
  const { cloudId } = await props.params;
  const cloud = await loadOr404(getCloud(user, cloudId));
  const [credentials, mayIssue, usedBy, grants] = await Promise.all([
    cloudCredentialsForPage(user, cloud.id, await props.searchParams),
    canManageCloud(user, cloud.id),
    projectsUsingCloud(user, cloud.id),
    listCloudGrants(user, cloud.id),
  ]);
  // listCloudGrants has authorized observe on this Cloud; who has access is theirs to see.
  const [reminders, holders, groups] = await Promise.all([
    mayIssue ? authorizeReminderSettings(user, cloud.id).then((permit) => permit.read()) : undefined,
    accessHolders({ type: "cloud", id: cloud.id }, "observe"),
    mayIssue ? groupChoices() : [],
  ]);
  // The picker offers the first 200 Projects by slug that the Cloud is not usable in yet.
  const assignable = mayIssue ? (await listProjectsPage(user, { limit: 200, notUsingCloud: cloud.id })).items : [];

  return (
    <>
      <PageHeader
        title={cloud.displayName}
        subtitle={<span className="font-mono">{cloud.slug}</span>}
        back={{ href: "/clouds", label: "Clouds" }}
        actions={
          mayIssue && (
            <>
              <Link href={`/clouds/${cloud.id}/credentials/new`} className={buttonClass.primary}>
                Issue credential
              </Link>
              <DeleteCloudButton cloudId={cloud.id} displayName={cloud.displayName} slug={cloud.slug} />
            </>
          )
        }
      />
      <div className="space-y-6">
        <Card title="Cloud">
          <DescriptionList
            items={[
              { term: "Provider", value: `${PROVIDER_LABELS[cloud.provider]} (${cloud.provider})` },
              { term: "External id", value: <span className="break-all font-mono">{cloud.externalId}</span> },
              { term: "Endpoint", value: <KeyValues map={cloud.endpoint} /> },
              { term: "Region defaults", value: <KeyValues map={cloud.regionDefaults} /> },
              { term: "Created", value: <Timestamp value={cloud.createdAt} /> },
              { term: "Id", value: <IdWithCopy id={cloud.id} label="Copy Cloud id" /> },
            ]}
          />
        </Card>
        {mayIssue && (
          <Card title="Payload checking">
            <PayloadShapeSetting cloudId={cloud.id} strict={cloud.strictPayloadShape} />
          </Card>
        )}
        <Card title="Sharing">
          <Sharing cloudId={cloud.id} grants={grants} mayManage={mayIssue} groups={groups} />
        </Card>
        <Card title="Who has access">
          <ul className="divide-y divide-slate-100 text-sm" aria-label="Who has access">
            {holders.map((h) => (
              <li key={h.userId} className="flex items-center justify-between py-2">
                <span>{h.email}</span>
                <span className="text-slate-500">
                  {h.paths
                    .map(
                      (p) =>
                        `${p.relation === "observer" ? "observe" : p.relation} ` +
                        `${p.via.type === "group" ? `through group ${p.via.name}` : p.via.type === "platform" ? "as platform admin" : "directly"}`,
                    )
                    .join("; ")}
                </span>
              </li>
            ))}
          </ul>
        </Card>
        {reminders && (
          <Card title="Expiry reminders">
            <Reminders cloudId={cloud.id} settings={reminders} mailConfigured={Boolean(env().smtp)} />
          </Card>
        )}
        <Card title="Usable in projects">
          {usedBy.length === 0 ? (
            <p className="text-sm text-slate-600">
              Not usable in any Project yet.
              {assignable.length > 0 && " Pick a Project below so its people can request this Cloud's credentials."}
            </p>
          ) : (
            <ul className="mb-3 text-sm">
              {usedBy.map((p) => (
                <li key={p.id}>{p.name}</li>
              ))}
            </ul>
          )}
          {assignable.length > 0 && <UsableInProject cloudId={cloud.id} projects={assignable} />}
        </Card>
        <Card title="Credentials">
          <form role="search" className="mb-4 flex flex-wrap gap-2" action={`/clouds/${cloud.id}`}>
            <label htmlFor="credential-q" className="sr-only">
              Search by name
            </label>
            <input
              id="credential-q"
              name="q"
              type="search"
              defaultValue={credentials.search}
              placeholder="Search by name"
              className={`${inputClass} max-w-xs`}
            />
            <label htmlFor="credential-status" className="sr-only">
              Status
            </label>
            <select id="credential-status" name="status" defaultValue={credentials.status} className={`${inputClass} w-auto`}>
              <option value="all">All statuses</option>
              <option value="active">Active</option>
              <option value="expired">Expired</option>
              <option value="revoked">Revoked</option>
            </select>
            <button type="submit" className={buttonClass.secondary}>
              Filter
            </button>
          </form>
          {credentials.items.length === 0 ? (
            <EmptyState
              action={
                mayIssue && !credentials.search && credentials.status === "all"
                  ? { href: `/clouds/${cloud.id}/credentials/new`, label: "Issue the first credential" }
                  : undefined
              }
            >
              {credentials.search || credentials.status !== "all"
                ? "No credential matches this filter."
                : "No credentials issued under this Cloud yet."}
            </EmptyState>
          ) : (
            <div>
              <DataTable label="Credentials" columns={["Display name", "Version", "Status", "Created", "Expires"]}>
                {credentials.items.map((c) => (
                  <tr key={c.id}>
                    <td className="py-2 pr-4">
                      <Link href={`/credentials/${c.id}`} className="font-medium text-indigo-700 hover:underline">
                        {c.displayName}
                      </Link>
                    </td>
                    <td className="py-2 pr-4 tabular-nums">{c.version}</td>
                    <td className="py-2 pr-4">
                      <StatusBadge status={c.status} />
                    </td>
                    <td className="py-2 pr-4 text-slate-600">
                      <Timestamp value={c.createdAt} />
                    </td>
                    <td className="py-2 text-slate-600">
                      <Timestamp value={c.expiresAt} />
                    </td>
                  </tr>
                ))}
              </DataTable>
            </div>
          )}
          <Pager links={credentials.links} label="Credentials" />
        </Card>
      </div>
    </>
  );
}

function KeyValues(props: { map: Record<string, unknown> }) {
  const entries = Object.entries(props.map);
  if (entries.length === 0) return <span className="text-slate-500">—</span>;
  return (
    <ul className="space-y-0.5 break-all font-mono text-xs">
      {entries.map(([k, v]) => (
        <li key={k}>
          {/* Over the API, values may be numbers or nested objects: shown as the JSON they are. */}
          {k} = {typeof v === "string" ? v : JSON.stringify(v)}
        </li>
      ))}
    </ul>
  );
}
