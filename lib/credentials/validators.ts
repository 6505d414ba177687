import type { CloudProviderName } from "@/lib/clouds/schema";
import { isUuid } from "@/lib/validation";
import type { SecretMaterial } from "@/lib/vault/store";
import { FORMAT_LABELS, OTHER_SPELLINGS, readMaterial, type MaterialFormat } from "./material";

/**
 * What "Test" checks for each provider: that the stored material has the
 * shape that provider's credentials have. Messages name fields and rules,
 * never a value. A live check (calling the provider) can be added per
 * provider as `live`; none can run from here, so none is defined yet.
 */
export interface ValidationCheck {
  name: string;
  ok: boolean;
  detail: string;
  /** A failing check about structure (not a JSON object, a field absent) rather than a value's pattern. */
  structural?: boolean;
}

export interface ProviderValidator {
  describe: string;
  shape(fields: Record<string, unknown>): ValidationCheck[];
  live?: (material: SecretMaterial) => Promise<ValidationCheck>;
}

function field(fields: Record<string, unknown>, name: string, rule: (v: string) => boolean, ruleText: string): ValidationCheck {
  const value = fields[name];
  if (typeof value !== "string" || value.length === 0) return { name, ok: false, detail: `${name} is missing`, structural: true };
  return rule(value)
    ? { name, ok: true, detail: `${name} ${ruleText}` }
    : { name, ok: false, detail: `${name} does not look right: expected ${ruleText}` };
}

// A pasted secret with a trailing newline or a stray space is the commonest broken credential.
const present = (v: string) => /^[^\s\u0000-\u001F\u007F]+$/.test(v);

export const validators: Record<CloudProviderName, ProviderValidator> = {
  aws: {
    describe: "an AWS access key pair",
    shape: (f) => [
      field(f, "access_key_id", (v) => /^(AKIA|ASIA)[A-Z0-9]{16}$/.test(v), "is AKIA or ASIA followed by 16 letters or digits"),
      field(f, "secret_access_key", (v) => /^[A-Za-z0-9/+]{40}$/.test(v), "is 40 base64 characters"),
    ],
  },
  azure: {
    describe: "an Azure client secret (tenant, client id, secret)",
    shape: (f) => [
      field(f, "tenant_id", (v) => isUuid(v), "is a GUID"),
      field(f, "client_id", (v) => isUuid(v), "is a GUID"),
      field(f, "client_secret", present, "is present, without spaces or line breaks"),
    ],
  },
  gcp: {
    describe: "a GCP service-account key (JSON)",
    shape: (f) => [
      field(f, "type", (v) => v === "service_account", 'is "service_account"'),
      field(f, "project_id", present, "is present, without spaces or line breaks"),
      field(f, "private_key_id", present, "is present, without spaces or line breaks"),
      field(
        f,
        "private_key",
        (v) => v.includes("-----BEGIN PRIVATE KEY-----") && v.includes("-----END PRIVATE KEY-----"),
        "is a PEM private key",
      ),
      field(f, "client_email", (v) => /^[^@\s]+@[^@\s]+\.iam\.gserviceaccount\.com$/.test(v), "is a service-account email"),
    ],
  },
  openstack: {
    describe: "an OpenStack application credential",
    shape: (f) => [
      field(f, "application_credential_id", present, "is present, without spaces or line breaks"),
      field(f, "application_credential_secret", present, "is present, without spaces or line breaks"),
    ],
  },
  "s3-compatible": {
    describe: "an S3 access key pair",
    shape: (f) => [
      field(f, "access_key_id", present, "is present, without spaces or line breaks"),
      field(f, "secret_access_key", present, "is present, without spaces or line breaks"),
    ],
  },
};

/**
 * The fields to check: the payload read in any format the provider's own
 * tools write (lib/credentials/material.ts), with the key-values laid over
 * it and the provider's spellings under our field names.
 */
export function materialFields(
  provider: CloudProviderName,
  material: SecretMaterial,
): { fields: Record<string, unknown>; parsed: boolean; format: MaterialFormat | null } {
  const { fields, format } = readMaterial(provider, material);
  return { fields, parsed: format !== null, format };
}

/** The "format" check, as issue, rotate and "Test" report it. */
export function formatCheck(provider: CloudProviderName, format: MaterialFormat | null): ValidationCheck {
  return format
    ? { name: "format", ok: true, detail: `the payload is read as ${FORMAT_LABELS[format]}` }
    : {
        name: "format",
        ok: false,
        detail: `the payload should be a JSON object (or ${OTHER_SPELLINGS[provider]}) holding ${validators[provider].describe}`,
        structural: true,
      };
}

/** The provider name as the validators (and the wire) spell it. */
export function validatorProvider(provider: string): CloudProviderName {
  return (provider === "s3_compatible" ? "s3-compatible" : provider) as CloudProviderName;
}

/**
 * The same shape checks "Test" runs, for material about to be written (issue
 * and rotate): the failing structural checks, each naming a field and its
 * rule, never a value. Structural means the payload is not a JSON object or a
 * field the provider needs is absent; that is refused. A value that is there
 * but does not match its pattern (the tutorials' throwaway "AKIAEXAMPLE")
 * is left to "Test" to report. Empty means the material may be written.
 */
export function shapeFailures(provider: CloudProviderName, material: SecretMaterial): ValidationCheck[] {
  const { fields, format } = materialFields(provider, material);
  return [formatCheck(provider, format), ...validators[provider].shape(fields)].filter((check) => !check.ok && check.structural);
}

/**
 * What the issue and rotate forms show as the expected format: the field
 * names the provider's credentials hold, as a JSON skeleton with no value.
 */
export function expectedFormat(provider: CloudProviderName): { describe: string; fields: string[]; placeholder: string; alsoRead: string } {
  const fields = validators[provider].shape({}).map((check) => check.name);
  return {
    describe: validators[provider].describe,
    fields,
    alsoRead: OTHER_SPELLINGS[provider],
    placeholder: `{ ${fields.map((name) => `"${name}": "…"`).join(", ")} }`,
  };
}
