import "server-only";
import { z } from "zod";
import { defineAction } from "@/lib/action-run";
import { isDomainError, ValidationError } from "@/lib/errors";
import { idField } from "@/lib/validation";
import type { SecretStore } from "@/lib/vault";
import { authorizeIssue, type IssueDependencies } from "./issue";
import { authorizeRotate } from "./rotate";
import { issueCredentialFormSchema, payloadSizeError, rotateCredentialFormSchema, type SecretFormOutput } from "./schema";

/**
 * The write-only forms as actions. Order matters: `manage` on the Cloud (or the credential) is
 * asked first, and only then is any field of the form read. Answers carry fixed messages only,
 * never a submitted value. Factories, so a test can hand in its own secret store.
 */
export function issueCredential(deps: IssueDependencies = {}) {
  return defineAction(
    {
      name: "issueCredential",
      target: z.object({ cloudId: idField }),
      authorize: (user, { cloudId }) => authorizeIssue(user, cloudId, deps),
      input: issueCredentialFormSchema,
      redirect: (_, { credentialId }: { credentialId: string }) => `/credentials/${credentialId}?issued=1`,
    },
    async ({ permit: issuer, input }) => {
      const payload = await payloadOf(input);
      const { id } = await onPayloadField(input, () =>
        issuer.issue({
          displayName: input.display_name,
          payload,
          keyValues: input.key_values,
          expiresAt: dayOf(input.expires_on),
          allowUnusualShape: input.allow_unusual_shape ?? false,
        }),
      );
      return { credentialId: id };
    },
  );
}

/** New material as the next version (write-only, like issue); the answer carries only the new version. */
export function rotateCredential(deps: { store?: SecretStore } = {}) {
  return defineAction(
    {
      name: "rotateCredential",
      target: z.object({ credentialId: idField }),
      authorize: (user, { credentialId }) => authorizeRotate(user, credentialId, deps),
      input: rotateCredentialFormSchema,
      revalidate: ({ credentialId }) => [`/credentials/${credentialId}`],
    },
    async ({ permit: rotator, input }) => {
      const payload = await payloadOf(input);
      const rotated = await onPayloadField(input, () =>
        rotator.rotate({
          expectedVersion: input.expected_version,
          payload,
          keyValues: input.key_values,
          expiresAt: dayOf(input.expires_on),
          allowUnusualShape: input.allow_unusual_shape ?? false,
        }),
      );
      return { version: rotated.version };
    },
  );
}

const dayOf = (isoDay: string | undefined) => (isoDay ? new Date(`${isoDay}T00:00:00Z`) : undefined);

/** The payload's bytes. The declared file size is the browser's word; the bytes we hold are the truth. */
async function payloadOf(form: SecretFormOutput): Promise<Uint8Array> {
  const upload = form.payload_source === "file" ? form.payload_file : undefined;
  const payload = upload ? new Uint8Array(await upload.arrayBuffer()) : new TextEncoder().encode(form.payload_text);
  const sizeError = payloadSizeError(payload.byteLength, form.payload_source);
  if (sizeError) throw new ValidationError("invalid_payload", sizeError, { [payloadField(form)]: sizeError });
  return payload;
}

/** The service names the payload; the form has a pasted and a file field, and the message belongs on the one used. */
async function onPayloadField<T>(form: SecretFormOutput, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isDomainError(error) || error.fieldErrors.payload === undefined) throw error;
    const { payload, ...rest } = error.fieldErrors;
    throw new ValidationError(error.code, error.message, { ...rest, [payloadField(form)]: payload });
  }
}

const payloadField = (form: SecretFormOutput) => (form.payload_source === "file" ? "payload_file" : "payload_text");
