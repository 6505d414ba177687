import { TableScroll } from "./TableScroll";

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
    <TableScroll
      label={props.label ?? "Table"}
      className={props.framed ? "rounded-lg bg-white shadow-sm ring-1 ring-slate-200" : undefined}
    >
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
