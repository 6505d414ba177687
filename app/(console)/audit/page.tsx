import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { EmptyState, PageHeader, Timestamp, buttonClass, inputClass, DataTable } from "@/components/ui";
import { requireUser } from "@/lib/auth/session";
import { auditFiltersFrom } from "@/lib/audit/filters";
import { listAuditEntries } from "@/lib/audit/service";
import { canCreateClouds } from "@/lib/clouds/service";
import { isDomainError } from "@/lib/errors";

export const metadata: Metadata = { title: "Audit" };

const FIELDS = [
  { name: "cloud_id", label: "Cloud id", placeholder: "uuid" },
  { name: "actor_id", label: "Actor id", placeholder: "uuid" },
  { name: "action", label: "Action", placeholder: "e.g. credential.issue" },
  { name: "since", label: "Since", placeholder: "YYYY-MM-DD" },
  { name: "until", label: "Until", placeholder: "YYYY-MM-DD" },
] as const;

export default async function AuditPage(props: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  if (!(await canCreateClouds(user))) notFound();
  const raw = await props.searchParams;
  const params = new URLSearchParams(Object.entries(raw).flatMap(([k, v]) => (typeof v === "string" && v ? [[k, v]] : [])));
  let entries: Awaited<ReturnType<typeof listAuditEntries>>["items"] = [];
  let filterError: string | undefined;
  try {
    entries = (await listAuditEntries(user, auditFiltersFrom(params), { limit: 200 })).items;
  } catch (error) {
    if (!isDomainError(error) || error.status !== 400) throw error;
    filterError = "A filter is malformed: ids are UUIDs, dates are YYYY-MM-DD.";
  }

  return (
    <>
      <PageHeader title="Audit" subtitle="Every decision: issues, revocations, grants and denials. Newest first; the latest 200." />
      <form className="mb-4 grid grid-cols-2 gap-2 sm:grid-cols-6" action="/audit">
        {FIELDS.map((f) => (
          <div key={f.name}>
            <label htmlFor={f.name} className="block text-xs font-medium text-slate-600">
              {f.label}
            </label>
            <input id={f.name} name={f.name} defaultValue={params.get(f.name) ?? ""} placeholder={f.placeholder} className={inputClass} />
          </div>
        ))}
        <div className="flex items-end">
          <button type="submit" className={buttonClass.secondary}>
            Filter
          </button>
        </div>
      </form>
      {filterError && <p className="mb-4 text-sm text-red-600">{filterError}</p>}
      {entries.length === 0 ? (
        <EmptyState>No entries match.</EmptyState>
      ) : (
        <DataTable framed label="Audit entries" columns={["When", "Actor", "Action", "Outcome", "Target", "Reason", "Correlation id"]}>
          {entries.map((e) => (
            <tr key={e.id} data-action={e.action}>
              <td className="whitespace-nowrap px-3 py-2 text-slate-600">
                <Timestamp value={e.at} />
              </td>
              <td className="px-3 py-2">{e.actorEmail ?? "—"}</td>
              <td className="px-3 py-2 font-mono text-xs">{e.action}</td>
              <td className={`px-3 py-2 ${e.outcome === "denied" ? "text-red-700" : "text-slate-700"}`}>{e.outcome}</td>
              <td className="px-3 py-2 font-mono text-xs">
                {e.targetType}:{e.targetId}
              </td>
              <td className="px-3 py-2">
                {e.reason ?? ""}
                {e.repeatCount > 1 && <span className="ml-1 text-xs text-slate-500">(×{e.repeatCount})</span>}
              </td>
              <td className="px-3 py-2 font-mono text-xs text-slate-500">{e.correlationId}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}
