import { usage } from "./errors";

export const OUTPUT_FORMATS = ["table", "json", "yaml"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Table for a person at a terminal, JSON when piped (for jq), unless --output says otherwise. */
export function outputFormat(option: string | undefined): OutputFormat {
  if (option === undefined) return process.stdout.isTTY ? "table" : "json";
  if (!(OUTPUT_FORMATS as readonly string[]).includes(option)) throw usage(`--output must be one of ${OUTPUT_FORMATS.join(", ")}`);
  return option as OutputFormat;
}

export async function print(value: unknown, format: OutputFormat): Promise<void> {
  if (value === undefined) return;
  if (format === "json") process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  // Loaded only when asked for: it is most of the bundle, and every command's startup would pay for it.
  else if (format === "yaml") {
    // yaml ships CommonJS: bundled, its exports arrive as the default export; under tsx, as named ones.
    const yaml = (await import("yaml")) as typeof import("yaml") & { default?: typeof import("yaml") };
    process.stdout.write((yaml.default ?? yaml).stringify(value));
  } else process.stdout.write(table(value));
}

const cell = (v: unknown) => (v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));

/** A list ({items} or an array) as columns; one object as name/value rows. */
function table(value: unknown): string {
  const rows = Array.isArray(value) ? value : isObject(value) && Array.isArray(value.items) ? value.items : undefined;
  if (!rows) {
    if (!isObject(value)) return `${cell(value)}\n`;
    const width = Math.max(...Object.keys(value).map((k) => k.length));
    return (
      Object.entries(value)
        .map(([k, v]) => `${k.toUpperCase().padEnd(width)}  ${cell(v)}`)
        .join("\n") + "\n"
    );
  }
  if (rows.length === 0) return "(none)\n";
  const columns = [
    ...new Set(rows.flatMap((r) => (isObject(r) ? Object.keys(r).filter((k) => typeof r[k] !== "object" || r[k] === null) : []))),
  ];
  const grid = [columns.map((c) => c.toUpperCase()), ...rows.map((r) => columns.map((c) => cell((r as Record<string, unknown>)[c])))];
  const widths = columns.map((_, i) => Math.max(...grid.map((line) => line[i].length)));
  return (
    grid
      .map((line) =>
        line
          .map((c, i) => c.padEnd(widths[i]))
          .join("  ")
          .trimEnd(),
      )
      .join("\n") + "\n"
  );
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
