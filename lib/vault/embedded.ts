import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Db } from "@/lib/db/client";
import { uniqueViolation } from "@/lib/db/client";
import {
  SecretStoreUnavailableError,
  SecretVersionConflictError,
  decodeMaterial,
  encodeMaterial,
  type SecretMaterial,
  type SecretStore,
  type StoredSecret,
} from "./store";

/**
 * The secret store for a machine without Vault: each version is one row of
 * AES-256-GCM ciphertext (node's crypto, a fresh 96-bit nonce per version),
 * with the secret's path (which holds the credential id) bound as additional
 * authenticated data, so a ciphertext copied onto another credential's row
 * fails to decrypt instead of answering for it.
 */
const ALGORITHM = "aes-256-gcm";
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export class EmbeddedSecretStore implements SecretStore {
  readonly driver = "embedded" as const;

  constructor(
    private readonly client: Db,
    private readonly key: Buffer,
  ) {
    if (key.length !== 32) throw new Error("the embedded secret store needs a 32-byte key");
  }

  async create(path: string, material: SecretMaterial) {
    return this.writeVersion(path, material, 0);
  }

  async update(path: string, material: SecretMaterial, expectedVersion: number) {
    return this.writeVersion(path, material, expectedVersion);
  }

  async read(path: string, version?: number): Promise<SecretMaterial | null> {
    const row = version
      ? await this.client.embeddedSecretVersion.findUnique({ where: { path_version: { path, version } } })
      : await this.client.embeddedSecretVersion.findFirst({ where: { path }, orderBy: { version: "desc" } });
    if (!row || row.deletedAt) return null;
    return decodeMaterial(JSON.parse(this.decrypt(path, row.nonce, row.ciphertext)));
  }

  async softDelete(path: string) {
    const latest = await this.client.embeddedSecretVersion.findFirst({ where: { path }, orderBy: { version: "desc" } });
    if (!latest || latest.deletedAt) return;
    await this.client.embeddedSecretVersion.update({
      where: { path_version: { path, version: latest.version } },
      data: { deletedAt: new Date() },
    });
  }

  async destroy(path: string) {
    await this.client.embeddedSecretVersion.deleteMany({ where: { path } });
  }

  /** Each path's first version's created_at is the secret's creation time; its latest version says whether it is live. */
  async list(prefix: string): Promise<StoredSecret[]> {
    const versions = await this.client.embeddedSecretVersion.findMany({
      where: { path: { startsWith: prefix.endsWith("/") ? prefix : `${prefix}/` } },
      select: { path: true, version: true, createdAt: true, deletedAt: true },
      orderBy: [{ path: "asc" }, { version: "asc" }],
    });
    const byPath = new Map<string, StoredSecret>();
    for (const v of versions) {
      const seen = byPath.get(v.path);
      // Ordered by version: the first row gives the creation time, the last one liveness.
      byPath.set(v.path, { path: v.path, createdAt: seen?.createdAt ?? v.createdAt, live: v.deletedAt === null });
    }
    return [...byPath.values()];
  }

  private async writeVersion(path: string, material: SecretMaterial, cas: number) {
    const latest = await this.client.embeddedSecretVersion.findFirst({
      where: { path },
      orderBy: { version: "desc" },
      select: { version: true },
    });
    if ((latest?.version ?? 0) !== cas) throw new SecretVersionConflictError(path);
    const version = cas + 1;
    const { nonce, ciphertext } = this.encrypt(path, JSON.stringify(encodeMaterial(material)));
    try {
      // The (path, version) primary key turns a concurrent writer's race into a conflict.
      await this.client.embeddedSecretVersion.create({ data: { path, version, nonce, ciphertext } });
    } catch (error) {
      if (uniqueViolation(error)) throw new SecretVersionConflictError(path);
      throw error;
    }
    return { version };
  }

  private encrypt(path: string, plaintext: string) {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(path, "utf8"));
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return { nonce: new Uint8Array(nonce), ciphertext: new Uint8Array(Buffer.concat([body, cipher.getAuthTag()])) };
  }

  private decrypt(path: string, nonce: Uint8Array, sealed: Uint8Array): string {
    const data = Buffer.from(sealed);
    const decipher = createDecipheriv(ALGORITHM, this.key, Buffer.from(nonce), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(path, "utf8"));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(data.subarray(0, data.length - TAG_BYTES)), decipher.final()]).toString("utf8");
    } catch {
      // A wrong key, or a ciphertext moved from another credential's path.
      throw new SecretStoreUnavailableError("a stored secret failed authentication");
    }
  }
}

/**
 * The data key: SECRETS_KEY (base64 of 32 bytes) when set, otherwise a key
 * file created once in the data folder, readable by its owner only.
 */
export async function loadOrCreateSecretsKey(options: { secretsKey?: string; dataDir: string }): Promise<Buffer> {
  if (options.secretsKey) {
    const key = Buffer.from(options.secretsKey, "base64");
    if (key.length !== 32) throw new Error("SECRETS_KEY must be the base64 encoding of exactly 32 bytes");
    return key;
  }
  const file = path.join(options.dataDir, "secrets.key");
  try {
    const key = Buffer.from((await readFile(file, "utf8")).trim(), "base64");
    if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key`);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  await chmod(options.dataDir, 0o700);
  const key = randomBytes(32);
  // flag "wx": never overwrite a key another process created a moment ago.
  await writeFile(file, key.toString("base64") + "\n", { mode: 0o600, flag: "wx" }).catch(async (error) => {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  });
  await chmod(file, 0o600);
  return loadOrCreateSecretsKey(options);
}
