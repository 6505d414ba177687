import "server-only";
import { z } from "zod";
import type { VaultLogin } from "@/lib/vault/auth";

/** The thresholds LOG_LEVEL takes (pino's); lib/log.ts logs at them. */
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

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
    // How the console gets its Vault token besides VAULT_TOKEN (lib/vault/auth.ts): AppRole or Kubernetes, renewed and re-logged in.
    VAULT_AUTH_METHOD: optionalString.pipe(z.enum(["token", "approle", "kubernetes"]).optional()),
    VAULT_AUTH_MOUNT: optionalString.pipe(
      z
        .string()
        .regex(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/, "must be an auth mount path such as approle or auth-k8s/prod")
        .optional(),
    ),
    VAULT_ROLE_ID: optionalString,
    VAULT_SECRET_ID: optionalString,
    VAULT_SECRET_ID_FILE: optionalString,
    VAULT_K8S_ROLE: optionalString,
    VAULT_K8S_JWT_FILE: optionalString,
    VAULT_NAMESPACE: optionalString,
    VAULT_KV_MOUNT: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/)
      .default("secret"),
    SECRETS_KEY: optionalString,
    CREDENTIAL_DEFAULT_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(90),
    EXPIRY_SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(1).max(600).default(10),
    // On SIGTERM, /readyz answers 503 this long while the listener still accepts, so a load balancer stops sending first.
    READINESS_DRAIN_SECONDS: z.coerce.number().int().min(0).max(300).default(5),
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
    // GET /metrics (docs/operations/observability.md): on its own listener, or on the main one behind this bearer token, or off.
    METRICS_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
    METRICS_HOSTNAME: z.string().min(1).default("127.0.0.1"),
    METRICS_TOKEN: optionalString.pipe(z.string().min(16, "must be at least 16 characters").optional()),
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
    LOG_LEVEL: optionalString.pipe(z.enum(LOG_LEVELS).default("info")),
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
    for (const issue of vaultAuthIssues(env)) ctx.addIssue({ code: "custom", ...issue });
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
      ? { addr: env.VAULT_ADDR, namespace: env.VAULT_NAMESPACE, mount: env.VAULT_KV_MOUNT, ...vaultAuth(env) }
      : undefined,
    secretsKey: env.SECRETS_KEY,
    credentialDefaultTtlDays: env.CREDENTIAL_DEFAULT_TTL_DAYS,
    expirySweepIntervalMs: env.EXPIRY_SWEEP_INTERVAL_SECONDS * 1000,
    shutdownGraceMs: env.SHUTDOWN_GRACE_SECONDS * 1000,
    readinessDrainMs: env.READINESS_DRAIN_SECONDS * 1000,
    outboxIntervalMs: env.OUTBOX_INTERVAL_SECONDS * 1000,
    reconcileIntervalMs: env.RECONCILE_INTERVAL_SECONDS * 1000,
    reconcileGraceMs: env.RECONCILE_GRACE_SECONDS * 1000,
    purgeIntervalMs: env.PURGE_INTERVAL_SECONDS * 1000,
    sessionAbsoluteMaxAgeMs: env.SESSION_ABSOLUTE_MAX_AGE_HOURS * 3_600_000,
    // Only behind a proxy we run may X-Forwarded-For name the client (lib/auth/client-address.ts).
    trustProxy: env.TRUST_PROXY ?? false,
    listen: { port: env.PORT, hostname: env.HOSTNAME },
    metrics: {
      listen: env.METRICS_PORT === undefined ? undefined : { port: env.METRICS_PORT, hostname: env.METRICS_HOSTNAME },
      token: env.METRICS_TOKEN,
    },
    // The URL may carry the SMTP password: it is passed to nodemailer only, never logged.
    smtp: env.SMTP_URL ? { url: env.SMTP_URL, from: env.SMTP_FROM } : undefined,
    reminderIntervalMs: env.REMINDER_INTERVAL_SECONDS * 1000,
    reminderHourUtc: env.REMINDER_HOUR,
    // Never on by default, in either mode: only an explicit true lets a webhook reach the console's own network.
    webhookAllowPrivateAddresses: env.WEBHOOK_ALLOW_PRIVATE_ADDRESSES ?? false,
    platformAdminEmails: env.PLATFORM_ADMIN_EMAILS,
    localLogin: env.LOCAL_LOGIN ?? true,
    logLevel: env.LOG_LEVEL,
  }));

export type Env = z.infer<typeof envSchema>;

/** The Kubernetes service-account token's path in a pod, the default of VAULT_K8S_JWT_FILE. */
export const KUBERNETES_JWT_FILE = "/var/run/secrets/kubernetes.io/serviceaccount/token";

interface VaultAuthSource {
  VAULT_ADDR?: string;
  VAULT_TOKEN?: string;
  VAULT_AUTH_METHOD?: "token" | "approle" | "kubernetes";
  VAULT_AUTH_MOUNT?: string;
  VAULT_ROLE_ID?: string;
  VAULT_SECRET_ID?: string;
  VAULT_SECRET_ID_FILE?: string;
  VAULT_K8S_ROLE?: string;
  VAULT_K8S_JWT_FILE?: string;
}

/** Which variables each way of getting a token reads. */
const VAULT_AUTH_VARIABLES = {
  token: ["VAULT_TOKEN"],
  approle: ["VAULT_ROLE_ID", "VAULT_SECRET_ID", "VAULT_SECRET_ID_FILE"],
  kubernetes: ["VAULT_K8S_ROLE", "VAULT_K8S_JWT_FILE"],
} as const satisfies Record<string, readonly (keyof VaultAuthSource)[]>;
type VaultAuthMethod = keyof typeof VAULT_AUTH_VARIABLES;

/** VAULT_AUTH_METHOD, or the one method whose variables are set; undefined when none or several are. */
function vaultAuthMethod(env: VaultAuthSource): VaultAuthMethod | undefined {
  if (env.VAULT_AUTH_METHOD) return env.VAULT_AUTH_METHOD;
  const set = (Object.keys(VAULT_AUTH_VARIABLES) as VaultAuthMethod[]).filter((m) => VAULT_AUTH_VARIABLES[m].some((name) => env[name]));
  return set.length === 1 ? set[0] : undefined;
}

/** Every way the Vault login configuration is ambiguous or incomplete; names only, never values. */
function vaultAuthIssues(env: VaultAuthSource): { path: string[]; message: string }[] {
  const loginVariables = [
    "VAULT_AUTH_METHOD",
    "VAULT_AUTH_MOUNT",
    ...VAULT_AUTH_VARIABLES.approle,
    ...VAULT_AUTH_VARIABLES.kubernetes,
  ] as const;
  if (!env.VAULT_ADDR) {
    // VAULT_TOKEN alone may be meant for the vault CLI; a login configuration without an address is a mistake.
    return loginVariables.filter((name) => env[name]).map((name) => ({ path: [name], message: "has no effect without VAULT_ADDR" }));
  }
  const set = (Object.keys(VAULT_AUTH_VARIABLES) as VaultAuthMethod[]).filter((m) => VAULT_AUTH_VARIABLES[m].some((name) => env[name]));
  const method = vaultAuthMethod(env);
  const issues: { path: string[]; message: string }[] = [];
  if (!method) {
    if (set.length === 0) {
      issues.push({
        path: ["VAULT_TOKEN"],
        message:
          "VAULT_ADDR needs a way to log in: VAULT_TOKEN, VAULT_ROLE_ID with VAULT_SECRET_ID or VAULT_SECRET_ID_FILE, " +
          "or VAULT_AUTH_METHOD=kubernetes with VAULT_K8S_ROLE",
      });
    } else {
      const named = set.flatMap((m) => VAULT_AUTH_VARIABLES[m].filter((name) => env[name])).join(", ");
      issues.push({
        path: ["VAULT_AUTH_METHOD"],
        message: `ambiguous: ${named} belong to different auth methods; set only one method's variables`,
      });
    }
    return issues;
  }
  for (const other of set.filter((m) => m !== method)) {
    for (const name of VAULT_AUTH_VARIABLES[other].filter((n) => env[n])) {
      issues.push({ path: [name], message: `ambiguous: set, but the auth method is ${method}` });
    }
  }
  if (method === "token") {
    if (!env.VAULT_TOKEN)
      issues.push({ path: ["VAULT_TOKEN"], message: "is required when VAULT_ADDR is set and the auth method is token" });
    if (env.VAULT_AUTH_MOUNT) issues.push({ path: ["VAULT_AUTH_MOUNT"], message: "applies to approle and kubernetes only" });
  }
  if (method === "approle") {
    if (!env.VAULT_ROLE_ID) issues.push({ path: ["VAULT_ROLE_ID"], message: "is required for AppRole login" });
    if (env.VAULT_SECRET_ID && env.VAULT_SECRET_ID_FILE) {
      issues.push({ path: ["VAULT_SECRET_ID_FILE"], message: "ambiguous: set either VAULT_SECRET_ID or VAULT_SECRET_ID_FILE, not both" });
    }
    if (!env.VAULT_SECRET_ID && !env.VAULT_SECRET_ID_FILE) {
      issues.push({ path: ["VAULT_SECRET_ID"], message: "AppRole login needs VAULT_SECRET_ID or VAULT_SECRET_ID_FILE" });
    }
  }
  if (method === "kubernetes" && !env.VAULT_K8S_ROLE)
    issues.push({ path: ["VAULT_K8S_ROLE"], message: "is required for Kubernetes login" });
  return issues;
}

/** The checked configuration as the driver takes it (lib/vault/node-vault.ts VaultConfig). */
function vaultAuth(env: VaultAuthSource): { token?: string; login?: VaultLogin } {
  const method = vaultAuthMethod(env);
  if (method === "approle") {
    return {
      login: {
        method,
        mount: env.VAULT_AUTH_MOUNT ?? "approle",
        roleId: env.VAULT_ROLE_ID!,
        ...(env.VAULT_SECRET_ID ? { secretId: env.VAULT_SECRET_ID } : { secretIdFile: env.VAULT_SECRET_ID_FILE! }),
      },
    };
  }
  if (method === "kubernetes") {
    return {
      login: {
        method,
        mount: env.VAULT_AUTH_MOUNT ?? "kubernetes",
        role: env.VAULT_K8S_ROLE!,
        jwtFile: env.VAULT_K8S_JWT_FILE ?? KUBERNETES_JWT_FILE,
      },
    };
  }
  return { token: env.VAULT_TOKEN! };
}

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
