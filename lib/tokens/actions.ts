"use server";

import { z } from "zod";
import { action } from "@/lib/actions";
import { idField } from "@/lib/validation";
import { createTokenSchema } from "./schema";
import { issueToken, revokeToken } from "./service";

const PAGE = ["/settings/tokens"];

/** The plaintext travels in this one answer and is never retrievable again. */
export const createTokenAction = action(
  { name: "createToken", input: createTokenSchema, revalidate: () => PAGE },
  async ({ user, input }) => {
    const token = await issueToken(user, { name: input.name, envPrefix: input.env_prefix, ttlSeconds: input.ttl_days * 86_400 });
    return { id: token.id, plaintext: token.plaintext, expiresAt: token.expiresAt.toISOString() };
  },
);

/** Revokes one of the signed-in user's own tokens (another user's id is "not found"). */
export const revokeTokenAction = action(
  { name: "revokeToken", target: z.object({ tokenId: idField }), revalidate: () => PAGE },
  async ({ user, target }) => {
    await revokeToken(user, target.tokenId);
  },
);
