import { SettingsTabs } from "@/components/SettingsTabs";
import { requireUser } from "@/lib/auth/session";
import { canCreateClouds } from "@/lib/clouds/service";

export default async function SettingsLayout({ children }: { children: React.ReactNode }) {
  const platformAdmin = await canCreateClouds(await requireUser());
  return (
    <>
      <SettingsTabs platformAdmin={platformAdmin} />
      {children}
    </>
  );
}
