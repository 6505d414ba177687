import Link from "next/link";

/**
 * Small presentational pieces shared by every page; no state, no data access.
 *
 * Every client component a server module imports ships with the route that
 * imports it, rendered or not; so the pieces that need one (DataTable,
 * IdWithCopy) live in their own modules, and this one imports only Link.
 * Client components take buttonClass, inputClass and Notice from ./controls.
 */
export { Notice, buttonClass, inputClass } from "./controls";

export function PageHeader(props: {
  title: string;
  subtitle?: React.ReactNode;
  actions?: React.ReactNode;
  back?: { href: string; label: string };
}) {
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
