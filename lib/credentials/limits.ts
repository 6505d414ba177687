/**
 * The issue and rotate forms' numeric limits, apart from their zod schemas
 * (./schema.ts) so a client component can show them without loading zod.
 */
export const MAX_PAYLOAD_BYTES = 4096;
export const MAX_TTL_DAYS = 365;
