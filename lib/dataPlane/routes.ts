// The data plane's routes beyond assignment: ingestion and the gateway.
import type { RouteRegistrar } from "./app";

export const dataPlaneRoutes: RouteRegistrar[] = [];
