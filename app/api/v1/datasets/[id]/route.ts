import { withAuth } from "@/lib/auth/guard";
import { deleteDataset, getDataset } from "@/lib/datasets/service";

export const dynamic = "force-dynamic";

/** GET /api/v1/datasets/{id}: one dataset: how it was made and how many items it holds. */
export const GET = withAuth<{ id: string }>("interactions:read", async ({ params }) => ({ dataset: await getDataset(params.id) }));

/** DELETE /api/v1/datasets/{id}: remove a dataset and its items; audited. */
export const DELETE = withAuth<{ id: string }>("datasets:manage", async ({ identity, params }) => {
  await deleteDataset(identity, params.id);
  return { deleted: true };
});
