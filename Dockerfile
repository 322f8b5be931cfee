# syntax=docker/dockerfile:1
# Sendline as one container: Next's standalone server plus the compiled operator scripts
# (db:migrate, workspace:create, credits:grant). compose.yaml runs it beside PostgreSQL, Redis
# and the official Inngest server; docs/deploy.md explains every setting.

FROM node:20-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM node:20-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 BUILD_STANDALONE=1
COPY --from=deps /app/node_modules ./node_modules
COPY . .
# next.config.js refuses a production build without a signing key, to catch a deploy that would
# serve unsigned. Nothing reads the key at build time: the container's INNGEST_SIGNING_KEY is
# what signs and verifies, and the server refuses to start without it.
RUN INNGEST_SIGNING_KEY=signkey-build-0000 npm run build

FROM node:20-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOSTNAME=0.0.0.0
# Standalone output: server.js, the traced node_modules (the database drivers among them) and package.json.
COPY --from=build --chown=node:node /app/.next/standalone ./
COPY --from=build --chown=node:node /app/.next/static ./.next/static
COPY --from=build --chown=node:node /app/dist/cli ./dist/cli
COPY --from=build --chown=node:node /app/scripts/cli.mjs ./scripts/cli.mjs
COPY --from=build --chown=node:node /app/db/migrations ./db/migrations
# Local uploads when SENDLINE_DATA_DIR points here (mount a volume); S3_BUCKET needs none.
RUN mkdir -p /var/lib/sendline && chown node:node /var/lib/sendline
USER node
EXPOSE 3000
# Next drains in-flight requests on SIGTERM, then the app closes its database pool (db/close-on-shutdown.ts).
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s CMD ["node", "-e", "fetch('http://127.0.0.1:3000/api/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "server.js"]
