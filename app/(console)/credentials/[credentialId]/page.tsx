import type { Metadata } from "next";
import Link from "next/link";
import { IdWithCopy } from "@/components/CopyButton";
import { Card, DescriptionList, Notice, PageHeader, StatusBadge, Timestamp } from "@/components/ui";
import { requireUser } from "@/lib/auth/session";
import { canManageCloud, getCloud } from "@/lib/clouds/service";
import { daysUntil } from "@/lib/credentials/lifecycle";
import { getCloudCredential } from "@/lib/credentials/read";
import { loadOr404 } from "@/lib/pages";
import { credentialHistory, type CredentialHistoryEntry } from "@/lib/credentials/history";
import { latestExpiryOn } from "@/lib/credentials/schema";
import { expectedFormat, validatorProvider } from "@/lib/credentials/validators";
import { IssuedToast } from "./IssuedToast";
import { CredentialActions } from "./ManageCredential";

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
  const history = await credentialHistory(user, credential.id);
  const days = daysUntil(credential.expiresAt);

  return (
    <>
      <PageHeader
        title={credential.displayName}
        subtitle="Cloud Credential"
        back={{ href: `/clouds/${cloud.id}`, label: cloud.displayName }}
      />
      <div className="max-w-3xl space-y-4">
        {justIssued && <IssuedToast name={credential.displayName} />}
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
          The secret material is write-only: it can never be shown again, here or through the API. Keep your own copy if you need it
          elsewhere.
        </Notice>
        {mayManage && credential.status !== "revoked" && (
          <CredentialActions
            expired={credential.status === "expired"}
            credential={{
              id: credential.id,
              displayName: credential.displayName,
              version: credential.version,
              expiresOn: credential.expiresAt.toISOString().slice(0, 10),
            }}
            provider={cloud.provider}
            expected={expectedFormat(validatorProvider(cloud.provider))}
            latestExpiryOn={latestExpiryOn()}
          />
        )}
        {mayManage && credential.status === "expired" && (
          <Notice tone="info">An expired credential cannot be renewed or rotated: its secret is being deleted. Issue a new one.</Notice>
        )}
        {credential.secretMissingAt && !credential.revokedAt && (
          <Notice tone="error">
            <span data-testid="secret-missing">
              The secrets engine no longer holds this credential&apos;s material (noticed <Timestamp value={credential.secretMissingAt} />
              ). Anything that uses it will fail: revoke it and issue a new one.
            </span>
          </Notice>
        )}
        <Card>
          <DescriptionList
            items={[
              {
                term: "Id",
                value: <IdWithCopy id={credential.id} label="Copy credential id" testId="credential-id" />,
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
        {credential.status === "revoked" && (
          <Card title="Revocation">
            <p className="text-sm text-slate-700" data-testid="revoke-reason">
              Revoked <Timestamp value={credential.revokedAt} />
              {history.revokeReason ? (
                <>
                  {" "}
                  — reason: <span className="font-medium">{history.revokeReason}</span>
                </>
              ) : null}
            </p>
          </Card>
        )}
        <Card title="Version history">
          {history.entries.length === 0 ? (
            <p className="text-sm text-slate-500">No recorded changes yet.</p>
          ) : (
            <ol className="space-y-2 text-sm" data-testid="version-history">
              {history.entries.map((entry, i) => (
                <li key={i} className="flex flex-wrap gap-x-3 gap-y-1">
                  <span className="font-medium text-slate-900">{historyLabel(entry)}</span>
                  <span className="text-slate-600">
                    <Timestamp value={entry.at} />
                  </span>
                  <span className="text-slate-600">by {entry.actorEmail ?? "the system"}</span>
                  {entry.detail && <span className="text-slate-500">{entry.detail}</span>}
                </li>
              ))}
            </ol>
          )}
        </Card>
      </div>
    </>
  );
}

function historyLabel(entry: CredentialHistoryEntry): string {
  if (entry.version !== null) return `v${entry.version} ${entry.event}`;
  return entry.event === "renewed" || entry.event === "expiry shortened"
    ? `expiry ${entry.event.replace("expiry ", "")}`
    : `credential ${entry.event}`;
}
