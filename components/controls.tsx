/**
 * What buttons, inputs and the forms' banners look like: the part of
 * ./ui.tsx that client components use. It imports nothing, so a client
 * component that uses it pulls nothing else into the page's JavaScript
 * (ui.tsx's Link, TableScroll and CopyButton stay out of the sign-in page).
 */

export const buttonClass = {
  primary:
    "inline-flex items-center justify-center gap-2 rounded-md bg-indigo-600 px-3.5 py-2 text-sm " +
    "font-semibold text-white shadow-sm hover:bg-indigo-500 focus-visible:outline " +
    "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 " +
    "disabled:cursor-not-allowed disabled:opacity-60",
  secondary:
    "inline-flex items-center justify-center gap-2 rounded-md bg-white px-3 py-2 text-sm font-medium " +
    "text-slate-700 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50 focus-visible:outline " +
    "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 " +
    "disabled:opacity-60",
  ghost:
    "inline-flex items-center gap-1 rounded px-2 py-1 text-sm text-slate-600 hover:bg-slate-100 " +
    "hover:text-slate-900 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600",
  danger:
    "inline-flex items-center justify-center gap-2 rounded-md bg-red-600 px-3.5 py-2 text-sm " +
    "font-semibold text-white shadow-sm hover:bg-red-500 focus-visible:outline focus-visible:outline-2 " +
    "focus-visible:outline-offset-2 focus-visible:outline-red-600 disabled:cursor-not-allowed " +
    "disabled:opacity-60",
};

export const inputClass =
  "block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 " +
  "ring-inset ring-slate-300 placeholder:text-slate-500 focus:ring-2 focus:ring-inset " +
  "focus:ring-indigo-600 aria-[invalid=true]:ring-red-500 dark:bg-slate-950 dark:text-slate-100 " +
  "dark:placeholder:text-slate-400";

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
