import type { Metadata } from "next";
import { Card, PageHeader } from "@/components/ui";
import { requireUser } from "@/lib/auth/session";
import { getCloud } from "@/lib/clouds/service";
import { MAX_TTL_DAYS } from "@/lib/credentials/schema";
import { authorizeIssue } from "@/lib/credentials/issue";
import { expectedFormat, validatorProvider } from "@/lib/credentials/validators";
import { env } from "@/lib/env";
import { loadOr404 } from "@/lib/pages";
import { IssueCredentialForm } from "./DeferredIssueCredentialForm";

type Props = { params: Promise<{ cloudId: string }> };

export async function generateMetadata(props: Props): Promise<Metadata> {
  const cloud = await loadOr404(getCloud(await requireUser(), (await props.params).cloudId));
  return { title: `Issue credential · Cloud ${cloud.displayName}` };
}

export default async function IssueCredentialPage(props: Props) {
  const user = await requireUser();
  const { cloudId } = await props.params;
  // Only a Cloud's managers get the form at all; everyone else sees "not found".
  await loadOr404(authorizeIssue(user, cloudId));
  const cloud = await loadOr404(getCloud(user, cloudId));
  return (
    <>
      <PageHeader
        title="Issue credential"
        subtitle={
          <>
            Under <span className="font-medium">{cloud.displayName}</span> (<span className="font-mono">{cloud.slug}</span>)
          </>
        }
        back={{ href: `/clouds/${cloud.id}`, label: cloud.displayName }}
      />
      <Card className="max-w-2xl">
        <IssueCredentialForm
          cloudId={cloud.id}
          defaultTtlDays={env().credentialDefaultTtlDays}
          maxTtlDays={MAX_TTL_DAYS}
          expected={expectedFormat(validatorProvider(cloud.provider))}
        />
      </Card>
    </>
  );
}
