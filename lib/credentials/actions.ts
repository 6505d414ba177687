"use server";

import { z } from "zod";
import { action } from "@/lib/actions";
import { idField } from "@/lib/validation";
import { issueCredential, rotateCredential } from "./issue-form";
import { updateCredentialMetadata } from "./lifecycle";
import { revokeCloudCredential } from "./revoke";
import { credentialDisplayNameSchema, credentialRevokeSchema, expiresOnSchema } from "./schema";
import { validateCloudCredential } from "./validate";

const credential = z.object({ credentialId: idField });
const onItsPage = ({ credentialId }: { credentialId: string }) => [`/credentials/${credentialId}`];

/** Issue a Cloud Credential from the write-only form; success lands on its metadata page. */
const issue = issueCredential();
export const issueCredentialAction = action(issue.spec, issue.handler);

/** Rotate to new material (write-only, like issue); the answer carries only the new version. */
const rotate = rotateCredential();
export const rotateCredentialAction = action(rotate.spec, rotate.handler);

/** Rename, or move the expiry closer or later (renew, up to a year from now); the secret is untouched. */
export const updateCredentialAction = action(
  {
    name: "updateCredential",
    target: credential,
    input: z.object({ display_name: credentialDisplayNameSchema.optional(), expires_on: expiresOnSchema }),
    revalidate: onItsPage,
  },
  async ({ user, target, input }) => {
    await updateCredentialMetadata(user, target.credentialId, {
      displayName: input.display_name,
      expiresAt: input.expires_on ? new Date(`${input.expires_on}T00:00:00Z`) : undefined,
    });
  },
);

/** Revoke with a stated reason: stamps revoked_at and soft-deletes the secret. */
export const revokeCredentialAction = action(
  { name: "revokeCredential", target: credential, input: credentialRevokeSchema, revalidate: onItsPage },
  async ({ user, target, input }) => {
    await revokeCloudCredential(user, target.credentialId, input.reason);
  },
);

/** "Test": the checks' names and rules, never a value. */
export const validateCredentialAction = action({ name: "validateCredential", target: credential }, ({ user, target }) =>
  validateCloudCredential(user, target.credentialId),
);
