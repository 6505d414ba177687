import Link from "next/link";
import { CopyButton } from "./CopyButton";
import { TableScroll } from "./TableScroll";

/** Small presentational pieces shared by every page; no state, no data access. */

export const buttonClass = {
  primary:
    "inline-flex items-center justify-center gap-2 rounded-md bg-indigo-600 px-3.5 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:opacity-60",
  secondary:
    "inline-flex items-center justify-center gap-2 rounded-md bg-white px-3 py-2 text-sm font-medium text-slate-700 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-60",
  ghost:
    "inline-flex items-center gap-1 rounded px-2 py-1 text-sm text-slate-600 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600",
  danger:
    "inline-flex items-center justify-center gap-2 rounded-md bg-red-600 px-3.5 py-2 text-sm font-semibold text-white shadow-sm hover:bg-red-500 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-600 disabled:cursor-not-allowed disabled:opacity-60",
};

export const inputClass =
  "block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-500 focus:ring-2 focus:ring-inset focus:ring-indigo-600 aria-[invalid=true]:ring-red-500 dark:bg-slate-950 dark:text-slate-100 dark:placeholder:text-slate-400";

export function PageHeader(props: { title: string; subtitle?: React.ReactNode; actions?: React.ReactNode; back?: { href: string; label: string } }) {
  return (
    <div className="mb-6">
      {props.back && (
        <Link href={props.back.href} className="mb-2 inline-block max-w-full truncate text-sm text-slate-600 hover:text-slate-800">
          ← {props.back.label}
        </Link>
      )}
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div className="min-w-0">
          <h1 className="break-words text-2xl font-semibold tracking-tight outline-none">{props.title}</h1>
          {props.subtitle && <div className="mt-1 text-sm text-slate-600">{props.subtitle}</div>}
        </div>
        {props.actions && <div className="flex flex-wrap gap-2">{props.actions}</div>}
      </div>
    </div>
  );
}

export function Card(props: { title?: string; children: React.ReactNode; className?: string }) {
  return (
    <section className={`min-w-0 rounded-lg bg-white shadow-sm ring-1 ring-slate-200 ${props.className ?? ""}`}>
      {props.title && <h2 className="border-b border-slate-200 px-5 py-3 text-sm font-semibold text-slate-800">{props.title}</h2>}
      <div className="p-4 sm:p-5">{props.children}</div>
    </section>
  );
}

export function DescriptionList(props: { items: { term: string; value: React.ReactNode }[] }) {
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-4 sm:grid-cols-2">
      {props.items.map((item) => (
        <div key={item.term} className="min-w-0">
          <dt className="text-xs font-medium uppercase tracking-wide text-slate-600">{item.term}</dt>
          <dd className="mt-1 break-words text-sm text-slate-900">{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Says there is nothing here and, when there is one, what to do next. */
export function EmptyState(props: { children: React.ReactNode; action?: { href: string; label: string } }) {
  return (
    <div className="rounded-md border border-dashed border-slate-300 p-6 text-center text-sm text-slate-600">
      <p>{props.children}</p>
      {props.action && (
        <Link href={props.action.href} className="mt-3 inline-block font-medium text-indigo-700 hover:underline">
          {props.action.label} →
        </Link>
      )}
    </div>
  );
}

export function Notice(props: { tone: "info" | "warning" | "error" | "success"; children: React.ReactNode; role?: string }) {
  const tones = {
    info: "bg-sky-50 text-sky-900 ring-sky-200 dark:bg-sky-950 dark:text-sky-100 dark:ring-sky-800",
    warning: "bg-amber-50 text-amber-900 ring-amber-200 dark:bg-amber-950 dark:text-amber-100 dark:ring-amber-800",
    error: "bg-red-50 text-red-900 ring-red-200 dark:bg-red-950 dark:text-red-100 dark:ring-red-800",
    success: "bg-emerald-50 text-emerald-900 ring-emerald-200 dark:bg-emerald-950 dark:text-emerald-100 dark:ring-emerald-800",
  };
  return (
    <div role={props.role} className={`rounded-md p-3 text-sm ring-1 ring-inset ${tones[props.tone]}`}>
      {props.children}
    </div>
  );
}

const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** Timestamps are shown in UTC, the way the API reports them. */
export function Timestamp(props: { value: Date | null | undefined }) {
  if (!props.value) return <span className="text-slate-500">—</span>;
  return (
    <time dateTime={props.value.toISOString()} className="whitespace-nowrap">
      {dateFormat.format(props.value)} UTC
    </time>
  );
}

export function StatusBadge(props: { status: "active" | "expired" | "revoked" }) {
  const tones = {
    active: "bg-emerald-50 text-emerald-700 ring-emerald-600/20 dark:bg-emerald-950 dark:text-emerald-300 dark:ring-emerald-400/30",
    expired: "bg-amber-50 text-amber-800 ring-amber-600/20 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-400/30",
    revoked: "bg-slate-100 text-slate-700 ring-slate-500/20 dark:bg-slate-800 dark:text-slate-300 dark:ring-slate-400/30",
  };
  return (
    <span className={`inline-flex items-center rounded-md px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${tones[props.status]}`}>
      {props.status}
    </span>
  );
}

/** A header cell: its label, right-aligned for numbers, or read only by screen readers (a column of buttons). */
type Column = string | { label: string; align?: "right"; srOnly?: boolean };

/**
 * A table's shell and header row; the body rows are the children. `framed`
 * stands alone on a page, unframed sits in a Card. On a narrow screen the
 * table scrolls inside its frame (TableScroll), never the page; `label`
 * names that scrolling region.
 */
export function DataTable(props: { columns: Column[]; label?: string; framed?: boolean; children: React.ReactNode }) {
  const cell = props.framed ? "px-4 py-3" : "py-2 pr-4";
  return (
    <TableScroll label={props.label ?? "Table"} className={props.framed ? "rounded-lg bg-white shadow-sm ring-1 ring-slate-200" : undefined}>
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead className={`${props.framed ? "bg-slate-50 " : ""}text-left text-xs font-semibold uppercase tracking-wide text-slate-600`}>
          <tr>
            {props.columns.map((column, i) => {
              const { label, align, srOnly } = typeof column === "string" ? { label: column } : column;
              return (
                <th key={i} scope="col" className={`${cell} whitespace-nowrap${align === "right" ? " text-right" : ""}`}>
                  {srOnly ? <span className="sr-only">{label}</span> : label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{props.children}</tbody>
      </table>
    </TableScroll>
  );
}

/** An id in monospace that wraps anywhere on a narrow screen, with a button that copies it. */
export function IdWithCopy(props: { id: string; label: string; testId?: string }) {
  return (
    <span className="inline-flex max-w-full items-center gap-1">
      <span className="min-w-0 break-all font-mono text-xs" data-testid={props.testId}>
        {props.id}
      </span>
      <CopyButton value={props.id} label={props.label} />
    </span>
  );
}
