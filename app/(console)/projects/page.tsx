import type { Metadata } from "next";
import Link from "next/link";
import { Card, EmptyState, PageHeader, Timestamp } from "@/components/ui";
import { requireUser } from "@/lib/auth/session";
import { canCreateClouds } from "@/lib/clouds/service";
import { projectsForPage } from "@/lib/projects/pages";
import type { SearchParams } from "@/lib/lists/page-params";
import { Pager } from "@/components/Pager";
import { NewProjectForm } from "./ProjectForms";

export const metadata: Metadata = { title: "Projects" };

export default async function ProjectsPage(props: { searchParams: Promise<SearchParams> }) {
  const user = await requireUser();
  const [{ items: projects, links }, mayCreate] = await Promise.all([
    projectsForPage(user, await props.searchParams),
    canCreateClouds(user),
  ]);
  return (
    <>
      <PageHeader title="Projects" subtitle="Teams that request credentials; an owner decides who may use which." />
      <div className="space-y-6">
        {projects.length === 0 ? (
          <EmptyState>
            {mayCreate
              ? "No Projects yet. Create one below, then add its members."
              : "You are not a member of any Project. Ask a Project's owner to add you."}
          </EmptyState>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
            {projects.map((p) => (
              <li key={p.id} className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 px-4 py-3 text-sm">
                <Link href={`/projects/${p.id}`} className="font-medium text-indigo-700 hover:underline">
                  {p.name}
                </Link>
                <span className="font-mono text-xs text-slate-600">{p.slug}</span>
                <span className="text-slate-600">
                  <Timestamp value={p.createdAt} />
                </span>
              </li>
            ))}
          </ul>
        )}
        <Pager links={links} label="Projects" />
        {mayCreate && (
          <Card title="New Project" className="max-w-xl">
            <NewProjectForm />
          </Card>
        )}
      </div>
    </>
  );
}
