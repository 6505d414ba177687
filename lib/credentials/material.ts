import YAML from "yaml";
import type { CloudProviderName } from "@/lib/clouds/schema";
import type { SecretMaterial } from "@/lib/vault/store";

/**
 * Reads a credential's material the way operators actually hand it over:
 * our JSON field names, or what the provider's own tools write (the
 * `[default]` profile of ~/.aws/credentials, `AWS_ACCESS_KEY_ID=` lines,
 * `az ad sp create-for-rbac` output, an OpenStack clouds.yaml, ...), and
 * lays the provider's spellings onto our canonical field names. "Test", the
 * console's refusal and the /v1 warning all read through here, so they
 * agree on what a payload holds. Nothing here ever reports a value.
 */
export type MaterialFormat = "json" | "yaml" | "ini" | "dotenv";

export const FORMAT_LABELS: Record<MaterialFormat, string> = {
  json: "a JSON object",
  yaml: "a YAML document",
  ini: "an INI profile",
  dotenv: "KEY=value lines",
};

/**
 * Where each canonical field may be found, in order of preference: a key,
 * or a dotted path into nested objects, `*` standing for the first entry of
 * a map (clouds.yaml's `clouds: <name>:`). The canonical name itself always
 * wins; the key-values count as top-level keys.
 */
const AWS_KEYS = {
  access_key_id: ["aws_access_key_id", "AWS_ACCESS_KEY_ID", "AccessKeyId", "Credentials.AccessKeyId", "AccessKey.AccessKeyId"],
  secret_access_key: [
    "aws_secret_access_key",
    "AWS_SECRET_ACCESS_KEY",
    "SecretAccessKey",
    "Credentials.SecretAccessKey",
    "AccessKey.SecretAccessKey",
  ],
  session_token: ["aws_session_token", "AWS_SESSION_TOKEN", "SessionToken", "Credentials.SessionToken"],
};

const ALIASES: Record<CloudProviderName, Record<string, string[]>> = {
  aws: AWS_KEYS,
  // MinIO's `mc` and its console download name the pair accessKey/secretKey.
  "s3-compatible": {
    access_key_id: [...AWS_KEYS.access_key_id, "accessKey", "access_key"],
    secret_access_key: [...AWS_KEYS.secret_access_key, "secretKey", "secret_key"],
    session_token: AWS_KEYS.session_token,
  },
  // Environment (azure-identity, Terraform's azurerm), `az ad sp create-for-rbac` and its `--sdk-auth` form.
  azure: {
    tenant_id: ["AZURE_TENANT_ID", "ARM_TENANT_ID", "tenant", "tenantId"],
    client_id: ["AZURE_CLIENT_ID", "ARM_CLIENT_ID", "appId", "clientId"],
    client_secret: ["AZURE_CLIENT_SECRET", "ARM_CLIENT_SECRET", "password", "clientSecret"],
  },
  // The key file gcloud and the console download is already our shape.
  gcp: {},
  // openrc-style environment, clouds.yaml (with or without its top level), `openstack application credential create -f json`.
  openstack: {
    application_credential_id: [
      "OS_APPLICATION_CREDENTIAL_ID",
      "clouds.*.auth.application_credential_id",
      "auth.application_credential_id",
      "id",
    ],
    application_credential_secret: [
      "OS_APPLICATION_CREDENTIAL_SECRET",
      "clouds.*.auth.application_credential_secret",
      "auth.application_credential_secret",
      "secret",
    ],
    auth_type: ["OS_AUTH_TYPE", "clouds.*.auth_type"],
    auth_url: ["OS_AUTH_URL", "clouds.*.auth.auth_url", "auth.auth_url"],
  },
};

export interface ReadMaterial {
  /** The payload's fields with the key-values laid over them, and every recognised spelling under its canonical name. */
  fields: Record<string, unknown>;
  /** How the payload was read; null when it is none of the formats (opaque bytes). */
  format: MaterialFormat | null;
}

export function readMaterial(provider: CloudProviderName, material: SecretMaterial): ReadMaterial {
  const { fields: payloadFields, format } = parsePayload(material.payload);
  const merged: Record<string, unknown> = { ...payloadFields, ...material.keyValues };
  return { fields: { ...merged, ...canonicalFields(provider, merged) }, format };
}

/** The canonical fields found in `fields` under any of the provider's spellings. */
export function canonicalFields(provider: CloudProviderName, fields: Record<string, unknown>): Record<string, unknown> {
  const found: Record<string, unknown> = {};
  for (const [canonical, paths] of Object.entries(ALIASES[provider])) {
    if (present(fields[canonical])) continue;
    for (const path of paths) {
      const value = at(fields, path.split("."));
      if (present(value)) {
        found[canonical] = value;
        break;
      }
    }
  }
  return found;
}

const present = (v: unknown) => v !== undefined && v !== null && v !== "";

function at(value: unknown, path: string[]): unknown {
  if (path.length === 0) return value;
  if (!isPlainObject(value)) return undefined;
  const [head, ...rest] = path;
  if (head === "*") {
    const first = Object.values(value).find(isPlainObject);
    return first === undefined ? undefined : at(first, rest);
  }
  return Object.hasOwn(value, head) ? at(value[head], rest) : undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** The payload as text in one of the formats, or nothing. Parser errors are swallowed: they may quote the secret. */
function parsePayload(payload: Uint8Array): { fields: Record<string, unknown>; format: MaterialFormat | null } {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(payload);
  } catch {
    return { fields: {}, format: null };
  }
  const json = attempt(() => JSON.parse(text));
  if (isPlainObject(json)) return { fields: json, format: "json" };
  const lines = meaningfulLines(text);
  if (lines.length === 0) return { fields: {}, format: null };
  const ini = readIni(lines);
  if (ini) return { fields: ini, format: "ini" };
  const dotenv = readDotenv(lines);
  if (dotenv) return { fields: dotenv, format: "dotenv" };
  const yaml = looksLikeYamlMapping(lines.find((line) => line !== "---") ?? "", text)
    ? attempt(() => YAML.parse(text, YAML_OPTIONS))
    : undefined;
  if (isPlainObject(yaml)) return { fields: yaml, format: "yaml" };
  return { fields: {}, format: null };
}

/**
 * Silent: the yaml library otherwise reports warnings through
 * process.emitWarning, quoting the source line, which is the secret.
 */
const YAML_OPTIONS = { maxAliasCount: 16, logLevel: "silent", prettyErrors: false } as const;
/** clouds.yaml nests a few levels; a payload nested deeper is not one (and deep flow nesting can take the process down in the parser). */
const MAX_YAML_NESTING = 16;

/**
 * Only a document that maps keys to values counts ("secret 1" is valid YAML
 * too, a string), so only one that starts with a `key:` line is parsed, and
 * only when its brackets nest shallowly.
 */
function looksLikeYamlMapping(firstLine: string, text: string): boolean {
  if (!/^[A-Za-z_][\w.-]*\s*:(\s|$)/.test(firstLine)) return false;
  let depth = 0;
  let deepest = 0;
  for (const char of text) {
    if (char === "[" || char === "{") deepest = Math.max(deepest, ++depth);
    else if ((char === "]" || char === "}") && depth > 0) depth -= 1;
  }
  return deepest <= MAX_YAML_NESTING;
}

function attempt(parse: () => unknown): unknown {
  try {
    return parse();
  } catch {
    return undefined;
  }
}

function meaningfulLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith("#") && !line.startsWith(";"));
}

const SECTION = /^\[([^\]]+)\]$/;
const INI_PAIR = /^([A-Za-z0-9_.-]+)\s*=\s*(.*)$/;

/** An INI file such as ~/.aws/credentials: the `[default]` profile, else the first. */
function readIni(lines: string[]): Record<string, string> | undefined {
  if (!SECTION.test(lines[0])) return undefined;
  const sections = new Map<string, Record<string, string>>();
  let current: Record<string, string> = {};
  let pairs = 0;
  for (const line of lines) {
    const section = SECTION.exec(line);
    if (section) {
      const name = section[1].trim().replace(/^profile\s+/, "");
      current = sections.get(name) ?? {};
      sections.set(name, current);
      continue;
    }
    const pair = INI_PAIR.exec(line);
    if (!pair) return undefined;
    current[pair[1]] = unquote(pair[2]);
    pairs += 1;
  }
  // A lone `[...]` line is a JSON array or a note, not a profile.
  if (pairs === 0) return undefined;
  return sections.get("default") ?? sections.values().next().value;
}

const ENV_PAIR = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;

/** Environment lines (`.env`, openrc without its prompts): every meaningful line a NAME=value. */
function readDotenv(lines: string[]): Record<string, string> | undefined {
  const fields: Record<string, string> = {};
  for (const line of lines) {
    const pair = ENV_PAIR.exec(line);
    if (!pair) return undefined;
    fields[pair[1]] = unquote(pair[2]);
  }
  return fields;
}

function unquote(value: string): string {
  const trimmed = value.trim();
  const quoted = /^(["'])(.*)\1$/.exec(trimmed);
  return quoted ? quoted[2] : trimmed;
}

/** For the forms' help: the provider-tool spellings read besides our own, as a few words. */
export const OTHER_SPELLINGS: Record<CloudProviderName, string> = {
  aws: "the [default] profile of ~/.aws/credentials, AWS_ACCESS_KEY_ID= lines, or aws_access_key_id / AccessKeyId keys",
  "s3-compatible": "the [default] profile of ~/.aws/credentials, AWS_ACCESS_KEY_ID= lines, or accessKey / secretKey keys",
  azure: "AZURE_CLIENT_ID / AZURE_TENANT_ID / AZURE_CLIENT_SECRET (JSON keys or lines), or the output of az ad sp create-for-rbac",
  gcp: "the service-account key file as downloaded",
  openstack: "a clouds.yaml with an application credential, or OS_APPLICATION_CREDENTIAL_ID= lines",
};
