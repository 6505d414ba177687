import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { EmptyState, PageHeader, buttonClass } from "@/components/ui";
import { requireUser } from "@/lib/auth/session";
import { AUDIT_ACTION_OPTIONS } from "@/lib/audit/action-names";
import { auditPositionFrom, auditPositionParam, consoleAuditFiltersFrom } from "@/lib/audit/filters";
import { listAuditEntries, listAuditFilterOptions, type AuditView } from "@/lib/audit/service";
import { canCreateClouds } from "@/lib/clouds/service";
import { isDomainError } from "@/lib/errors";
import { AuditChainVerdict } from "./AuditChainVerdict";
import { AuditFilterForm } from "./AuditFilterForm";
import { AuditTable } from "./AuditTable";

export const metadata: Metadata = { title: "Audit" };

/** Entries per page; the export reads every entry of the filter instead. */
const PAGE_SIZE = 50;
const FILTER_KEYS = ["cloud_id", "actor_id", "action", "since", "until", "denials"] as const;

export default async function AuditPage(props: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  if (!(await canCreateClouds(user))) notFound();
  const raw = await props.searchParams;
  const params = new URLSearchParams(Object.entries(raw).flatMap(([k, v]) => (typeof v === "string" && v ? [[k, v]] : [])));
  const filterParams = new URLSearchParams(FILTER_KEYS.flatMap((k) => (params.get(k) ? [[k, params.get(k)!]] : [])));
  let page: { items: AuditView[]; next?: { at: string; id: string }; prev?: { at: string; id: string } } = { items: [] };
  let filterError: string | undefined;
  try {
    page = await listAuditEntries(user, consoleAuditFiltersFrom(filterParams), {
      limit: PAGE_SIZE,
      before: auditPositionFrom(params.get("before")),
      after: auditPositionFrom(params.get("after")),
    });
  } catch (error) {
    if (!isDomainError(error) || error.status !== 400) throw error;
    filterError = "A filter is malformed: pick people, actions and Clouds from the lists; dates are YYYY-MM-DD.";
  }
  const options = await listAuditFilterOptions(user, {
    actorId: /^[0-9a-f-]{36}$/i.test(params.get("actor_id") ?? "") ? params.get("actor_id")! : undefined,
    cloudId: /^[0-9a-f-]{36}$/i.test(params.get("cloud_id") ?? "") ? params.get("cloud_id")! : undefined,
  });
  const hrefWith = (extra: Record<string, string>) => `/audit?${new URLSearchParams([...filterParams, ...Object.entries(extra)])}`;
  const exportHref = (format: "csv" | "json") => `/audit/export?${new URLSearchParams([...filterParams, ["format", format]])}`;

  return (
    <>
      <PageHeader
        title="Audit"
        subtitle={`Every decision: issues, revocations, grants and denials. Newest first, ${PAGE_SIZE} per page.`}
        actions={
          <>
            <a href={exportHref("csv")} className={buttonClass.secondary} download>
              Export CSV
            </a>
            <a href={exportHref("json")} className={buttonClass.secondary} download>
              Export JSON
            </a>
          </>
        }
      />
      <AuditChainVerdict />
      <AuditFilterForm
        values={Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) ?? ""]))}
        actors={options.actors}
        clouds={options.clouds}
        actions={AUDIT_ACTION_OPTIONS}
        truncated={options.truncated}
      />
      {filterError && (
        <p role="alert" className="mb-4 text-sm text-red-600">
          {filterError}
        </p>
      )}
      {page.items.length === 0 ? (
        <EmptyState>No entries match. Widen the dates or clear a filter.</EmptyState>
      ) : (
        <AuditTable entries={page.items} />
      )}
      {(page.prev || page.next) && (
        <nav aria-label="Audit pages" className="mt-4 flex justify-between gap-2">
          {page.prev ? (
            <a href={hrefWith({ after: auditPositionParam(page.prev) })} className={buttonClass.secondary} rel="prev">
              ← Newer
            </a>
          ) : (
            <span />
          )}
          {page.next && (
            <a href={hrefWith({ before: auditPositionParam(page.next) })} className={buttonClass.secondary} rel="next">
              Older →
            </a>
          )}
        </nav>
      )}
    </>
  );
}
