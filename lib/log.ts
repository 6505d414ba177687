import "server-only";
import pino, { type DestinationStream, type Level, type Logger } from "pino";
import { currentCorrelationId } from "@/lib/http/correlation";
import { env, type LogLevel } from "@/lib/env";

/**
 * Structured one-line JSON logs, through pino (docs/operations/logging.md).
 * Fields are an allow-list written at each call site: never pass request
 * bodies, form data or secret material here. Redaction by name
 * (REDACTED_FIELDS) is the second line of defence, not the first.
 * A line written while a request runs names its correlation id
 * (lib/http/correlation.ts), the one its problem answer carries.
 *
 * A line: {"level":"info","time":"<ISO 8601>","correlation_id":"…","event":"…",…fields}.
 * Info and below go to stdout, warn and above to stderr. LOG_LEVEL (lib/env.ts) sets the threshold.
 */
export type Fields = Record<string, string | number | boolean | null | undefined>;

/** What no line may show, wherever the field sits: at the top, one level down, or as a header. */
export const REDACTED_FIELDS = [
  "authorization",
  "cookie",
  "set-cookie",
  "set_cookie",
  "token",
  "access_token",
  "refresh_token",
  "id_token",
  "session_token",
  "vault_token",
  "secret",
  "secret_id",
  "client_secret",
  "webhook_secret",
  "password",
  "payload",
  "key_values",
  "values",
  "private_key",
  "secret_access_key",
  "api_key",
  "smtp_url",
] as const;

export const REDACTED = "[redacted]";

const REDACT_PATHS = REDACTED_FIELDS.flatMap((name) => {
  const key = /^[a-z_]+$/.test(name) ? name : `["${name}"]`;
  const at = (prefix: string) => (key.startsWith("[") ? `${prefix}${key}` : `${prefix}.${key}`);
  return [key, at("*"), at("headers"), at("*.headers")];
});

/** A logger writing to `destination` (one stream) or to stdout and stderr by level; exported for tests. */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const stream =
    destination ??
    pino.multistream(
      [
        // Looked up at each line, as before pino: a test may watch process.stdout.write (lib/vault/auth.test.ts).
        { level: "trace", stream: { write: (line: string) => process.stdout.write(line) } },
        { level: "warn", stream: { write: (line: string) => process.stderr.write(line) } },
      ],
      { dedupe: true },
    );
  return pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      mixin: () => {
        const correlationId = currentCorrelationId();
        return correlationId ? { correlation_id: correlationId } : {};
      },
    },
    stream,
  );
}

/** LOG_LEVEL, or info while the configuration cannot be read (boot reports why, through this logger). */
function configuredLevel(): LogLevel {
  try {
    return env().logLevel;
  } catch {
    return "info";
  }
}

let logger: Logger | undefined;
const root = () => (logger ??= createLogger(configuredLevel()));

/** The call sites' API: an event name and its fields, bound to a logger (the process's unless a test gives one). */
export function logTo(target: () => Logger) {
  const write =
    (level: Exclude<Level, "fatal">) =>
    (event: string, fields: Fields = {}) =>
      target()[level](Object.assign({ event }, fields, { event }));
  return { trace: write("trace"), debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error") };
}

export const log = logTo(root);
