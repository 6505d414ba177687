import { buttonClass, inputClass } from "@/components/ui";

type Option = { id: string; label: string };

const label = "block text-xs font-medium text-slate-600";

/** A plain GET form: the filters live in the URL, so a filtered page can be bookmarked and exported. */
export function AuditFilterForm(props: {
  values: Record<string, string>;
  actors: Option[];
  clouds: Option[];
  actions: { value: string; label: string }[];
  truncated: boolean;
}) {
  const v = props.values;
  return (
    <form className="mb-4 grid grid-cols-1 gap-2 sm:grid-cols-3 lg:grid-cols-7" action="/audit" aria-label="Filter the audit trail">
      <div>
        <label htmlFor="actor_id" className={label}>
          Actor
        </label>
        <select id="actor_id" name="actor_id" defaultValue={v.actor_id} className={inputClass}>
          <option value="">Anyone</option>
          {props.actors.map((a) => (
            <option key={a.id} value={a.id}>
              {a.label}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="action" className={label}>
          Action
        </label>
        <select id="action" name="action" defaultValue={v.action} className={inputClass}>
          <option value="">Any action</option>
          {props.actions.map((a) => (
            <option key={a.value} value={a.value}>
              {a.label}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="cloud_id" className={label}>
          Cloud
        </label>
        <select id="cloud_id" name="cloud_id" defaultValue={v.cloud_id} className={inputClass}>
          <option value="">Any Cloud</option>
          {props.clouds.map((c) => (
            <option key={c.id} value={c.id}>
              {c.label}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="since" className={label}>
          Since
        </label>
        <input id="since" name="since" type="date" defaultValue={v.since} className={inputClass} />
      </div>
      <div>
        <label htmlFor="until" className={label}>
          Until
        </label>
        <input id="until" name="until" type="date" defaultValue={v.until} className={inputClass} />
      </div>
      <div className="flex items-end">
        <label className="flex items-center gap-2 pb-2 text-sm text-slate-700">
          <input type="checkbox" name="denials" value="hide" defaultChecked={v.denials === "hide"} />
          Hide denials
        </label>
      </div>
      <div className="flex items-end">
        <button type="submit" className={buttonClass.secondary}>
          Filter
        </button>
      </div>
      {props.truncated && <p className="col-span-full text-xs text-slate-500">The lists show the first 200 people and Clouds by name.</p>}
    </form>
  );
}
