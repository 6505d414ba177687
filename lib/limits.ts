/**
 * The limits every door shares (forms, actions, /v1 wire schemas, services), as plain constants:
 * no zod here, so a client component can show them without loading it. The zod building blocks
 * that enforce them are in ./validation.ts.
 */

/** The longest display name of anything we store: a Cloud, a credential, a Project, a person. */
export const DISPLAY_NAME_MAX = 256;

/** A slug (a Cloud's, a Project's, an identity provider's alias): lowercase letters and digits in hyphen-separated runs. */
export const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const SLUG_MAX = 63;

/** A key-value key's length (the pattern is KEY_PATTERN in ./validation.ts). */
export const KEY_MAX = 128;

/** A credential's or a Cloud's key-values: how many pairs, and how long a value may be. */
export const KEY_VALUE_ROWS_MAX = 32;
export const KEY_VALUE_MAX = 1024;

/** The longest reason a person gives (a revocation, a decision). */
export const REASON_MAX = 1024;

/** The shortest justification of a break-glass approval (plexsphere v1: 16 to REASON_MAX characters). */
export const BREAK_GLASS_REASON_MIN = 16;

/**
 * A Domain's mesh pool, as the newest contract writes it (pattern and maxLength): an IPv4 or IPv6
 * CIDR. Never the empty string: a Domain without a pool sends no mesh_cidr at all.
 */
export const MESH_CIDR_PATTERN = /^([0-9]{1,3}\.){3}[0-9]{1,3}\/[0-9]{1,2}$|^[0-9a-fA-F:]+\/[0-9]{1,3}$/;
export const MESH_CIDR_MAX = 49;
