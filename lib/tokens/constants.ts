/** Environments an API token may be minted for (the plaintext's `psk_<env>_` segment). */
export const TOKEN_ENVS = ["dev", "stage", "prod"] as const;
export type TokenEnv = (typeof TOKEN_ENVS)[number];
