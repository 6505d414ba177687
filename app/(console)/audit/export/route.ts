import { methodsNotAllowed, route, signedIn } from "@/lib/api/route";
import { DomainError } from "@/lib/errors";
import { auditExportStream } from "@/lib/audit/export";
import { consoleAuditFiltersFrom } from "@/lib/audit/filters";
import { listAuditEntries } from "@/lib/audit/service";

/** The Audit page's current filter as a CSV or JSON download; platform admins only (checked before the first byte). */
export const GET = route({
  authorize: signedIn,
  handle: async ({ permit, query }) => {
    const format = query.get("format") ?? "csv";
    if (format !== "csv" && format !== "json") throw new DomainError("invalid_filter", "format must be csv or json", 400);
    const filters = consoleAuditFiltersFrom(query);
    // Authorizes (and records a denial) before the response starts, so a refusal is a 403 problem, not a broken download.
    await listAuditEntries(permit, filters, { limit: 1 });
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    return new Response(auditExportStream(permit, filters, format), {
      headers: {
        "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
        "content-disposition": `attachment; filename="audit-${stamp}.${format}"`,
        "cache-control": "no-store",
      },
    });
  },
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(["GET"]);
