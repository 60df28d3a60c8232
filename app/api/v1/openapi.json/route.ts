import { withPublic } from "@/lib/auth/guard";
import { openApiDocument } from "@/lib/openapi/document";

export const dynamic = "force-dynamic";

/** GET /api/v1/openapi.json: the API reference as OpenAPI 3.1, generated from the routes' schemas. */
export const GET = withPublic(async () => openApiDocument());
