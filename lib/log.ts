import "server-only";
import { currentCorrelationId } from "@/lib/http/correlation";

/**
 * Structured one-line JSON logs. Fields are an allow-list written at each
 * call site: never pass request bodies, form data or secret material here.
 * A line written while a request runs names its correlation id
 * (lib/http/correlation.ts), the one its problem answer carries.
 */
type Fields = Record<string, string | number | boolean | null | undefined>;

function write(level: "info" | "warn" | "error", event: string, fields: Fields = {}) {
  const correlationId = currentCorrelationId();
  const line = JSON.stringify({
    time: new Date().toISOString(),
    level,
    event,
    ...(correlationId ? { correlation_id: correlationId } : {}),
    ...fields,
  });
  (level === "info" ? process.stdout : process.stderr).write(line + "\n");
}

export const log = {
  info: (event: string, fields?: Fields) => write("info", event, fields),
  warn: (event: string, fields?: Fields) => write("warn", event, fields),
  error: (event: string, fields?: Fields) => write("error", event, fields),
};
