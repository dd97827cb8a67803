# One image per app, each from that app's own build output (`nx build <app>`: dist/deploy/<app>) with only the
# production packages its code requires, at the lock's versions:
#   docker build --build-arg APP=catalog -t localhost/shop/catalog:dev .
#   docker run ... localhost/shop/catalog:dev serve catalog      the app
#   docker run ... localhost/shop/catalog:dev migrate catalog    its SQL migrations (a data-owning service's image)
# APP is any folder of apps/. The image's version is /app/VERSION, a content hash of what it ships and of this
# file (tools/build/app-package.ts): tools/infra/images.ts tags each image with it. The names start with
# localhost/ so that no engine ever pulls them from someone else's registry.
# Node: the current LTS, on Debian bookworm (docs/deployment.md, "Node versions").
ARG NODE_IMAGE=node:24.22.3-bookworm-slim

FROM ${NODE_IMAGE} AS base
WORKDIR /app
ENV npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false

# Every app's output, built as `npm test` builds it. APP is not declared in this stage, so the stage is the same
# for every app's image and the engine builds it once for all of them. No install scripts: nothing is downloaded
# but the locked packages (the Prisma clients run without engines, migrations are applied by the project's own
# SQL migrator), so a failed download is a failed `npm ci`, never a silent gap found at run time.
FROM base AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY . .
RUN npm run build

# The app's output and its production packages from its own pruned lock. --omit=optional as well: npm would
# otherwise keep optional packages the code never loads (pg-cloudflare, for Cloudflare Workers).
FROM base AS runtime
ARG APP
RUN test -n "$APP" || { echo "build with --build-arg APP=<an app of apps/>" >&2; exit 1; }
COPY --from=build /src/dist/deploy/${APP} ./
RUN npm ci --omit=dev --omit=optional --ignore-scripts

# The image: the base and one layer (with the vfs storage driver every layer is a full copy of all below it).
FROM base
ARG APP
COPY --from=runtime /app /app
# In a container the container's own network is the boundary: listen on every address (locally apps stay on loopback).
ENV NODE_ENV=production HOST=0.0.0.0
LABEL org.opencontainers.image.title="shop ${APP}"
# The node user of the base image, by number so Kubernetes can verify runAsNonRoot.
USER 1000:1000
# Compose and Kubernetes set PORT to the app's own port (tools/apps.ts); the check reads the same variable.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 CMD ["node", "deploy/docker/healthcheck.js"]
ENTRYPOINT ["/app/deploy/docker/entrypoint.sh"]
