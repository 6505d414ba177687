import "server-only";
import { z } from "zod";

/**
 * The console's whole configuration, parsed once from the environment.
 * Nothing else in the code base reads `process.env`.
 *
 * APP_MODE=demo (the default) runs with embedded defaults and the demo cast;
 * APP_MODE=production refuses to start without an auth secret and refuses
 * the demo seed, so a misconfigured deployment fails loudly at boot.
 */
const optionalString = z
  .string()
  .transform((s) => s.trim())
  .pipe(z.string())
  .optional()
  .transform((s) => (s ? s : undefined));

const flag = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => (v === undefined || v === "" ? undefined : v === "true" || v === "1"));

const envSchema = z
  .object({
    APP_MODE: z.enum(["demo", "production"]).default("demo"),
    DATA_DIR: z.string().min(1).default(".data"),
    DATABASE_URL: optionalString.pipe(z.string().url().optional()),
    // false for a connection pooler that cannot keep named prepared statements (lib/db/client.ts queryRows).
    DATABASE_PREPARED_STATEMENTS: flag,
    NEXTAUTH_SECRET: optionalString.pipe(z.string().min(32, "NEXTAUTH_SECRET must be at least 32 characters").optional()),
    NEXTAUTH_URL: optionalString.pipe(z.string().url().optional()),
    DEMO_SEED: flag,
    VAULT_ADDR: optionalString.pipe(z.string().url().optional()),
    VAULT_TOKEN: optionalString,
    VAULT_NAMESPACE: optionalString,
    VAULT_KV_MOUNT: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/)
      .default("secret"),
    SECRETS_KEY: optionalString,
    CREDENTIAL_DEFAULT_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(90),
    EXPIRY_SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(1).max(600).default(10),
    OUTBOX_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
    RECONCILE_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
    // 0 is for a one-shot pass while no server runs; a live server needs room for issues in flight.
    RECONCILE_GRACE_SECONDS: z.coerce.number().int().min(0).max(604_800).default(600),
    // How often dead sessions, device codes and set-password links are purged (lib/retention).
    PURGE_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(3600),
    // A console session ends this long after sign-in however active it is (lib/auth/sessions.ts sessionUser).
    SESSION_ABSOLUTE_MAX_AGE_HOURS: z.coerce.number().int().min(1).max(720).default(12),
    TRUST_PROXY: flag,
    // Where the server entry (server.ts) listens; no HOSTNAME listens on every interface, as `next start` did.
    PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
    HOSTNAME: optionalString,
    // Expiry reminders (lib/reminders): mail through this SMTP server; without it, only webhooks are sent.
    SMTP_URL: optionalString.pipe(
      z
        .string()
        .regex(/^smtps?:\/\/[^\s]+$/, "must be an smtp:// or smtps:// URL")
        .optional(),
    ),
    SMTP_FROM: z.string().trim().min(3).max(320).default("plexsphere <reminders@localhost>"),
    REMINDER_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(3600),
    // The UTC hour from which each day's digests go out.
    REMINDER_HOUR: z.coerce.number().int().min(0).max(23).default(7),
    // true lets reminder webhooks reach loopback, private, link-local and metadata addresses (lib/reminders/webhook.ts): refused unless set.
    WEBHOOK_ALLOW_PRIVATE_ADDRESSES: flag,
    // Comma-separated emails granted platform#manage at their first sign-in (SSO or password): the first administrator.
    PLATFORM_ADMIN_EMAILS: z
      .string()
      .optional()
      .transform((value) =>
        (value ?? "")
          .split(",")
          .map((e) => e.trim().toLowerCase())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().email("PLATFORM_ADMIN_EMAILS must be comma-separated email addresses"))),
    // false hides the password form and refuses password sign-in on the server: SSO only.
    LOCAL_LOGIN: flag,
  })
  .superRefine((env, ctx) => {
    if (env.APP_MODE === "production") {
      if (!env.NEXTAUTH_SECRET) {
        ctx.addIssue({ code: "custom", path: ["NEXTAUTH_SECRET"], message: "is required when APP_MODE=production" });
      }
      if (env.DEMO_SEED) {
        ctx.addIssue({ code: "custom", path: ["DEMO_SEED"], message: "the demo cast may not be seeded when APP_MODE=production" });
      }
      // Secure (__Secure-) session cookies follow from an https URL.
      if (!env.NEXTAUTH_URL?.startsWith("https://")) {
        ctx.addIssue({ code: "custom", path: ["NEXTAUTH_URL"], message: "must be the console's https:// URL when APP_MODE=production" });
      }
      // A key file beside the ciphertext in one folder protects nothing against a copy of that folder.
      if (!env.VAULT_ADDR && !env.SECRETS_KEY) {
        ctx.addIssue({
          code: "custom",
          path: ["SECRETS_KEY"],
          message: "set VAULT_ADDR, or SECRETS_KEY for the embedded store, when APP_MODE=production",
        });
      }
    }
    if (env.VAULT_ADDR && !env.VAULT_TOKEN) {
      ctx.addIssue({ code: "custom", path: ["VAULT_TOKEN"], message: "is required when VAULT_ADDR is set" });
    }
  })
  .transform((env) => ({
    mode: env.APP_MODE,
    dataDir: env.DATA_DIR,
    databaseUrl: env.DATABASE_URL,
    preparedStatements: env.DATABASE_PREPARED_STATEMENTS ?? true,
    authSecret: env.NEXTAUTH_SECRET,
    publicUrl: env.NEXTAUTH_URL,
    seedDemo: env.DEMO_SEED ?? env.APP_MODE === "demo",
    vault: env.VAULT_ADDR
      ? { addr: env.VAULT_ADDR, token: env.VAULT_TOKEN!, namespace: env.VAULT_NAMESPACE, mount: env.VAULT_KV_MOUNT }
      : undefined,
    secretsKey: env.SECRETS_KEY,
    credentialDefaultTtlDays: env.CREDENTIAL_DEFAULT_TTL_DAYS,
    expirySweepIntervalMs: env.EXPIRY_SWEEP_INTERVAL_SECONDS * 1000,
    shutdownGraceMs: env.SHUTDOWN_GRACE_SECONDS * 1000,
    outboxIntervalMs: env.OUTBOX_INTERVAL_SECONDS * 1000,
    reconcileIntervalMs: env.RECONCILE_INTERVAL_SECONDS * 1000,
    reconcileGraceMs: env.RECONCILE_GRACE_SECONDS * 1000,
    purgeIntervalMs: env.PURGE_INTERVAL_SECONDS * 1000,
    sessionAbsoluteMaxAgeMs: env.SESSION_ABSOLUTE_MAX_AGE_HOURS * 3_600_000,
    // Only behind a proxy we run may X-Forwarded-For name the client (lib/auth/client-address.ts).
    trustProxy: env.TRUST_PROXY ?? false,
    listen: { port: env.PORT, hostname: env.HOSTNAME },
    // The URL may carry the SMTP password: it is passed to nodemailer only, never logged.
    smtp: env.SMTP_URL ? { url: env.SMTP_URL, from: env.SMTP_FROM } : undefined,
    reminderIntervalMs: env.REMINDER_INTERVAL_SECONDS * 1000,
    reminderHourUtc: env.REMINDER_HOUR,
    // Never on by default, in either mode: only an explicit true lets a webhook reach the console's own network.
    webhookAllowPrivateAddresses: env.WEBHOOK_ALLOW_PRIVATE_ADDRESSES ?? false,
    platformAdminEmails: env.PLATFORM_ADMIN_EMAILS,
    localLogin: env.LOCAL_LOGIN ?? true,
  }));

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses a configuration source; exported for tests, use `env()` elsewhere. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    // Names and rules only: a config value may itself be a secret.
    const problems = result.error.issues.map((i) => `${i.path.join(".") || "config"}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join("\n  ")}`);
  }
  return result.data;
}

let cached: Env | undefined;

/** The process's configuration, parsed on first use (never at import, so builds need none). */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/**
 * next-auth reads its origin from the environment itself. Without
 * NEXTAUTH_URL (demo mode only; production requires it) it is told to take
 * the origin from the request, so sign-in and sign-out work on any local
 * port. "The request" is the Host it came to: next-auth would prefer a
 * client-sent X-Forwarded-Host, which proxy.ts removes on its routes, so a
 * sign-in can never be redirected to another host. This is the one place
 * that writes to the environment, with serveProductionBuild below.
 */
export function configureAuthOrigin(config: Env): void {
  // A blank NEXTAUTH_URL means "unset" here, but next-auth would try to parse it.
  if (!config.publicUrl) delete process.env.NEXTAUTH_URL;
  if (!config.publicUrl && config.mode === "demo") process.env.AUTH_TRUST_HOST = "true";
}

/**
 * The server entry serves a build: production unless the caller said
 * otherwise, set before Next and React load (they pick their builds from it
 * as they are imported).
 */
export function serveProductionBuild(): void {
  Object.assign(process.env, { NODE_ENV: process.env.NODE_ENV || "production" });
}
