// The data plane's routes beyond assignment: ingestion and the gateway.
import type { RouteRegistrar } from "./app";
import { registerGatewayRoutes } from "./gateway";
import { registerIngestRoutes } from "./ingest";

export const dataPlaneRoutes: RouteRegistrar[] = [registerIngestRoutes, registerGatewayRoutes];
