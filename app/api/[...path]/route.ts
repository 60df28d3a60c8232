import { withPublic } from "@/lib/auth/guard";
import { AppError } from "@/lib/errors";

export const dynamic = "force-dynamic";

/** Any /api path without a route of its own: a JSON 404, never an HTML page. */
const notFound = withPublic<{ path: string[] }>(async ({ params }) => {
  throw new AppError("NOT_FOUND", `No API route at /api/${params.path.join("/")}. See the API reference in the README.`);
});

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
