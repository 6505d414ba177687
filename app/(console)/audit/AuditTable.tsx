import Link from "next/link";
import { Timestamp } from "@/components/ui";
import { auditActionLabel, auditTargetHref, isBreakGlassAction } from "@/lib/audit/action-names";
import type { AuditView } from "@/lib/audit/service";

const cell = "px-3 py-2";
const link = "text-indigo-700 hover:underline";

/** One page of entries. The wrapper scrolls sideways on narrow screens, so it is focusable and named (axe scrollable-region-focusable). */
export function AuditTable(props: { entries: AuditView[] }) {
  return (
    <div
      role="region"
      aria-label="Audit entries"
      tabIndex={0}
      className={
        "overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200 focus-visible:outline " +
        "focus-visible:outline-2 focus-visible:outline-indigo-600"
      }
    >
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
          <tr>
            {["When", "Actor", "Action", "Outcome", "Target", "Cloud", "Reason", "Correlation id"].map((c) => (
              <th key={c} scope="col" className={cell}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {props.entries.map((e) => {
            const targetHref = auditTargetHref(e.targetType, e.targetId);
            const targetText = e.targetName ?? `${e.targetType}:${e.targetId}`;
            return (
              <tr key={e.id} data-action={e.action} data-outcome={e.outcome}>
                <td className={`whitespace-nowrap ${cell} text-slate-600`}>
                  <Timestamp value={e.at} />
                </td>
                <td className={cell}>
                  {e.actorId ? (
                    <Link href={`/audit?actor_id=${e.actorId}`} className={link} title="Show this person's entries">
                      {e.actorEmail ?? e.actorId}
                    </Link>
                  ) : (
                    <span className="text-slate-500">system</span>
                  )}
                </td>
                <td className={cell}>
                  {isBreakGlassAction(e.action) && (
                    <span className="mr-1 rounded bg-red-100 px-1.5 py-0.5 text-xs font-semibold uppercase text-red-800 ring-1 ring-red-300">
                      Emergency
                    </span>
                  )}
                  <span title={e.action}>{auditActionLabel(e.action)}</span>
                </td>
                <td className={`${cell} ${e.outcome === "denied" ? "text-red-700" : "text-slate-700"}`}>{e.outcome}</td>
                <td className={cell}>
                  {targetHref ? (
                    <Link href={targetHref} className={link} title={`${e.targetType}:${e.targetId}`}>
                      {targetText}
                    </Link>
                  ) : (
                    <span className="font-mono text-xs">{targetText}</span>
                  )}
                </td>
                <td className={cell}>
                  {e.cloudId ? (
                    <Link href={`/clouds/${e.cloudId}`} className={link}>
                      {e.cloudName ?? e.cloudId}
                    </Link>
                  ) : (
                    "—"
                  )}
                </td>
                <td className={cell}>
                  {e.reason ?? ""}
                  {e.repeatCount > 1 && <span className="ml-1 text-xs text-slate-500">(×{e.repeatCount})</span>}
                </td>
                <td className={`${cell} font-mono text-xs text-slate-500`}>{e.correlationId}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
