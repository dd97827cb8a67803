# One image for the whole platform: every app, every service's migrations, and the local stack's secrets.
#   docker build -t localhost/shop/platform:dev .
#   docker run ... localhost/shop/platform:dev serve catalog      an app: any folder of apps/
#   docker run ... localhost/shop/platform:dev migrate catalog    a data-owning service's SQL migrations
# One image rather than one per app: the apps share all but a few hundred kB (node_modules, the libraries),
# so per-app images only multiplied the build and the disk (see README, "Images"). The name starts with
# localhost/ so that no engine ever pulls it from someone else's registry.
# Node: the current LTS, on Debian bookworm (README, "Node versions").
ARG NODE_IMAGE=node:24.22.3-bookworm-slim

FROM ${NODE_IMAGE} AS base
WORKDIR /app
ENV npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false
# Where compose's one-shot `secrets` service writes the local stack's secrets: a named volume mounted here
# takes this folder's owner (the node user) on first use, so nothing needs to run as root to fill it.
RUN mkdir -m 0755 /run/shop-secrets && chown 1000:1000 /run/shop-secrets

# The whole monorepo, built as `npm test` builds it. No install scripts: nothing is downloaded but the
# locked packages (the Prisma clients run without engines, and migrations are applied by the project's own
# SQL migrator), so a failed download is a failed `npm ci`, never a silent gap found at run time.
FROM base AS build
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY . .
# Then only what the image runs, under /out: the compiled apps and libraries (not the test helpers) and
# each service's migrations, in their source layout (the migrator reads them from there).
RUN npm run generate \
 && npm run build \
 && mkdir -p /out/dist \
 && cp package.json /out/ \
 && cp -r dist/apps dist/libs /out/dist/ \
 && rm -rf /out/dist/libs/testing \
 && for dir in libs/*/data-access/prisma/migrations; do mkdir -p "/out/$dir" && cp -r "$dir/." "/out/$dir/"; done \
 && mkdir -p /out/deploy \
 && cp -r deploy/docker deploy/secrets /out/deploy/

# Production dependencies only. --omit=optional as well: without it npm keeps the "devOptional" packages,
# devDependencies that production ones name as optional peers (the Prisma CLI and Studio, TypeScript,
# pglite, effect: about 230 MB). The only optional production package, pg-cloudflare, is for Cloudflare
# Workers.
FROM base AS runtime
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --ignore-scripts
COPY --from=build /out ./

# The image: the base and one layer (with the vfs storage driver every layer is a full copy of all below it).
FROM base
COPY --from=runtime /app /app
# In a container the container's own network is the boundary: listen on every address (locally apps stay on loopback).
ENV NODE_ENV=production HOST=0.0.0.0
# The node user of the base image, by number so Kubernetes can verify runAsNonRoot.
USER 1000:1000
# Compose and Kubernetes set PORT to the app's own port (tools/apps.js); the check reads the same variable.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 CMD ["node", "deploy/docker/healthcheck.js"]
ENTRYPOINT ["/app/deploy/docker/entrypoint.sh"]
