# syntax=docker/dockerfile:1
# One image per app, all from this file:
#   docker build --build-arg APP=catalog -t shop/catalog:dev .
#   docker build --build-arg APP=catalog --target migrate -t shop/catalog-migrate:dev .
# APP is any folder of apps/ (the migrate target: a data-owning service).
# Node is pinned to the release the platform is developed on (engines: >=20.19).
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS base
WORKDIR /app
ENV npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false

# Prisma's CLI detects the OpenSSL version to pick its schema engine, and the
# engine links libssl: slim images ship neither.
FROM base AS prisma-base
RUN apt-get update \
 && apt-get install -y --no-install-recommends openssl ca-certificates \
 && rm -rf /var/lib/apt/lists/*

# The whole monorepo, built exactly as `npm test` builds it.
FROM prisma-base AS build
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run generate && npm run build

# Production dependencies only; no install scripts, nothing downloaded at run time.
FROM base AS prod-deps
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts

# One service's migrations, applied once per deploy by a Job or a compose
# one-shot service, never by the app's replicas. Keeps the Prisma CLI (a
# devDependency) and the schema engine `npm ci` downloaded in the build stage.
FROM prisma-base AS migrate
ARG APP
ENV APP=${APP} \
    NODE_ENV=production \
    PRISMA_HIDE_UPDATE_MESSAGE=1 \
    CHECKPOINT_DISABLE=1
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/libs/${APP}/data-access/prisma ./libs/${APP}/data-access/prisma
COPY --from=build /app/deploy/prisma/prisma.config.ts ./deploy/prisma/prisma.config.ts
USER 1000:1000
# Reads DATABASE_URL and DATABASE_SCHEMA, the same variables the service reads.
CMD ["node", "node_modules/prisma/build/index.js", "migrate", "deploy", "--config", "deploy/prisma/prisma.config.ts"]

# The app: compiled dist/ (the generated Prisma clients are compiled into it)
# plus production dependencies. The default target.
FROM base AS app
ARG APP
ENV APP=${APP} \
    NODE_ENV=production \
    PORT=8080
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/dist/libs ./dist/libs
COPY --from=build /app/dist/apps/${APP} ./dist/apps/${APP}
COPY deploy/docker/healthcheck.js ./deploy/docker/healthcheck.js
# The node user of the base image, by number so Kubernetes can verify runAsNonRoot.
USER 1000:1000
# Compose and Kubernetes set PORT to the app's own port (tools/apps.js); the check reads the same variable.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 CMD ["node", "deploy/docker/healthcheck.js"]
# exec: node is PID 1 and gets SIGTERM itself, so the app drains on stop.
CMD exec node --enable-source-maps "dist/apps/${APP}/src/main.js"
