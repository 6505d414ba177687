import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Card, PageHeader } from "@/components/ui";
import { requireUser } from "@/lib/auth/session";
import { canCreateClouds } from "@/lib/clouds/service";
import { NewCloudForm } from "./NewCloudForm";

export const metadata: Metadata = { title: "New Cloud" };

export default async function NewCloudPage() {
  const user = await requireUser();
  if (!(await canCreateClouds(user))) notFound();
  return (
    <>
      <PageHeader
        title="New Cloud"
        subtitle="A Cloud names one provider account. You will manage it, and can issue credentials under it."
        back={{ href: "/clouds", label: "Clouds" }}
      />
      <Card className="max-w-2xl">
        <NewCloudForm />
      </Card>
    </>
  );
}
