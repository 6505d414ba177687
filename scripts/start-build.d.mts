export const SOURCE_DIRS: string[];
export const SOURCE_FILES: string[];
export const DIGEST_FILE: string;
export const SERVER_BUNDLE: string;
export function sourceDigest(root: string): string;
export function buildDecision(root: string): { build: boolean; reason: string; digest?: string };
