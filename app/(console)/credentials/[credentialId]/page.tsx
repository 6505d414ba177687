import type { Metadata } from "next";
import Link from "next/link";
import { Card, DescriptionList, IdWithCopy, Notice, PageHeader, StatusBadge, Timestamp } from "@/components/ui";
import { requireUser } from "@/lib/auth/session";
import { canManageCloud, getCloud } from "@/lib/clouds/service";
import { daysUntil } from "@/lib/credentials/lifecycle";
import { getCloudCredential } from "@/lib/credentials/service";
import { loadOr404 } from "@/lib/pages";
import { EditCredentialForm, RevokeCredentialForm, TestCredentialButton } from "./ManageCredential";
import { RotateCredentialForm } from "./RotateCredentialForm";

export async function generateMetadata(props: { params: Promise<{ credentialId: string }> }): Promise<Metadata> {
  const credential = await loadOr404(getCloudCredential(await requireUser(), (await props.params).credentialId));
  return { title: `Credential ${credential.displayName}` };
}

export default async function CredentialPage(props: {
  params: Promise<{ credentialId: string }>;
  searchParams: Promise<{ issued?: string }>;
}) {
  const user = await requireUser();
  const { credentialId } = await props.params;
  const justIssued = (await props.searchParams).issued === "1";
  const credential = await loadOr404(getCloudCredential(user, credentialId));
  const cloud = await loadOr404(getCloud(user, credential.cloudId));
  const mayManage = await canManageCloud(user, cloud.id);
  const days = daysUntil(credential.expiresAt);

  return (
    <>
      <PageHeader
        title={credential.displayName}
        subtitle="Cloud Credential"
        back={{ href: `/clouds/${cloud.id}`, label: cloud.displayName }}
      />
      <div className="max-w-3xl space-y-4">
        {justIssued && (
          <Notice tone="success" role="status">
            Credential issued. Its secret is now in the secrets engine.
          </Notice>
        )}
        {credential.secretRevocation === "pending" && (
          <Notice tone="warning" role="status">
            <span data-testid="secret-revocation-pending">
              {credential.status === "revoked" ? "revocation pending" : "deletion pending"}: the secret is still in the engine; retrying
            </span>
          </Notice>
        )}
        <Notice tone="info">
          The secret material is write-only: it can never be shown again, here or through the API. Keep your own copy if you
          need it elsewhere.
        </Notice>
        {credential.secretMissingAt && !credential.revokedAt && (
          <Notice tone="error">
            <span data-testid="secret-missing">
              The secrets engine no longer holds this credential&apos;s material (noticed <Timestamp value={credential.secretMissingAt} />). Anything that
              uses it will fail: revoke it and issue a new one.
            </span>
          </Notice>
        )}
        <Card>
          <DescriptionList
            items={[
              {
                term: "Id",
                value: (
                  <IdWithCopy id={credential.id} label="Copy credential id" testId="credential-id" />
                ),
              },
              {
                term: "Cloud",
                value: (
                  <Link href={`/clouds/${cloud.id}`} className="text-indigo-700 hover:underline">
                    {cloud.displayName} <span className="font-mono text-xs text-slate-500">({cloud.slug})</span>
                  </Link>
                ),
              },
              { term: "Display name", value: credential.displayName },
              { term: "Version", value: <span data-testid="credential-version">{credential.version}</span> },
              { term: "Status", value: <StatusBadge status={credential.status} /> },
              {
                term: "Expires",
                value: (
                  <>
                    <Timestamp value={credential.expiresAt} />
                    {credential.status === "active" && (
                      <span className={`ml-2 text-xs ${days <= 14 ? "text-amber-700" : "text-slate-500"}`} data-testid="expires-in">
                        expiring in {days} {days === 1 ? "day" : "days"}
                      </span>
                    )}
                  </>
                ),
              },
              { term: "Created", value: <Timestamp value={credential.createdAt} /> },
              { term: "Updated", value: <Timestamp value={credential.updatedAt} /> },
              ...(credential.expiredAt ? [{ term: "Expired", value: <Timestamp value={credential.expiredAt} /> }] : []),
              ...(credential.revokedAt ? [{ term: "Revoked", value: <Timestamp value={credential.revokedAt} /> }] : []),
            ]}
          />
        </Card>
        {mayManage && credential.status !== "revoked" && (
          <>
            <Card title="Test">
              <p className="mb-3 text-sm text-slate-600">
                Checks that the secrets engine still holds the material and that it has the shape of a {cloud.provider} credential. Nothing is shown.
              </p>
              <TestCredentialButton credentialId={credential.id} />
            </Card>
            <Card title="Rotate">
              <RotateCredentialForm credentialId={credential.id} version={credential.version} />
            </Card>
            <Card title="Edit">
              <EditCredentialForm
                credentialId={credential.id}
                displayName={credential.displayName}
                expiresOn={credential.expiresAt.toISOString().slice(0, 10)}
              />
            </Card>
            <Card title="Revoke">
              <RevokeCredentialForm credentialId={credential.id} displayName={credential.displayName} />
            </Card>
          </>
        )}
      </div>
    </>
  );
}
