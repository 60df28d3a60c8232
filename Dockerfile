# Multi-stage image for Assay's web app and workers (docker-compose.yml runs both from it).
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOST=0.0.0.0
COPY --from=build /app /app
RUN useradd --system --uid 1001 assay && chown -R assay /app
USER assay
EXPOSE 3000
# Default: the web app (migrations first; no embedded database because DATABASE_URL is set; no worker).
ENV ASSAY_WORKERS=0
CMD ["node", "cli/bin.mjs", "start", "--no-build"]
