import { pageIdentity } from "@/lib/auth/guard";
import { usersForAdmin } from "@/lib/users/service";
import { PageHeader } from "@/components/ui/PageHeader";
import { Forbidden } from "@/components/ui/Forbidden";
import { UsersAdmin } from "@/components/admin/UsersAdmin";

export const dynamic = "force-dynamic";
export const metadata = { title: "Users" };

export default async function UsersPage() {
  const { identity, allowed } = await pageIdentity("users:manage", "/admin/users");
  if (!allowed) return <Forbidden role={identity.role} />;
  const users = await usersForAdmin();
  return (
    <>
      <PageHeader
        title="Users"
        description="Everyone who can sign in to Assay, and what their role lets them do. Roles: ADMIN manages users; PM designs and runs experiments; ENGINEER routes traffic and runs load tests; REVIEWER approves deploy decisions."
      />
      <UsersAdmin
        currentUserId={identity.userId}
        users={users.map((u) => ({ ...u, createdAt: u.createdAt.toISOString(), lastLoginAt: u.lastLoginAt?.toISOString() ?? null }))}
      />
    </>
  );
}
