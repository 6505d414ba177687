import { randomBytes } from "node:crypto";
import pg from "pg";

/**
 * Canary secrets and the places to look for them. A canary is a value no
 * code would produce by chance; finding it (or its base64 or hex form)
 * anywhere but the secrets engine means a secret leaked.
 */
export function makeCanary(label = "canary"): string {
  return `${label}-${randomBytes(12).toString("hex")}`;
}

/** Every encoding the canary could take on its way into storage or a response. */
export function canaryForms(canary: string): string[] {
  const bytes = Buffer.from(canary, "utf8");
  return [canary, bytes.toString("base64"), bytes.toString("base64url"), bytes.toString("hex"), encodeURIComponent(canary)];
}

export function countCanary(haystack: string, canary: string): number {
  return canaryForms(canary).reduce((n, form) => n + haystack.split(form).length - 1, 0);
}

/**
 * Every row of every table in the database, as JSON text: what a database
 * dump would show an attacker. Bytea columns come out hex-encoded.
 */
export async function dumpDatabase(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ schemaname: string; tablename: string }>(
      `SELECT schemaname, tablename FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`,
    );
    const parts: string[] = [];
    for (const { schemaname, tablename } of tables.rows) {
      const rows = await client.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${schemaname}"."${tablename}" t`);
      parts.push(`-- ${schemaname}.${tablename}`, ...rows.rows.map((r) => r.row));
    }
    return parts.join("\n");
  } finally {
    await client.end();
  }
}
