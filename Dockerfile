# syntax=docker/dockerfile:1
#
# One image recipe for all seven Leadstream services. The service is chosen at build time:
#
#   docker build --build-arg SERVICE=scoring --build-arg PORT=3104 -t leadstream/scoring .
#
# docker-compose.yml builds every service this way; deploy/k8s runs the same images.
# The whole workspace is compiled once per build (tsc emits dist/ mirroring the tree) and the
# runtime stage keeps only production dependencies, the compiled output and the alias resolver.

ARG NODE_IMAGE=node:24-bookworm-slim

# ---- deps: full install, with patches/ applied by the postinstall script (patch-package) ---------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# Dependencies first so that source edits do not invalidate the npm ci layer. The patches come with
# them: npm ci runs postinstall, which fails the build if a patch does not apply
# (docs/adr/0012-kafkajs-patches.md).
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --no-audit --no-fund

# ---- build: compile everything -------------------------------------------------------------------
FROM deps AS build
COPY . .
RUN npm run build
# Declared only here: a build argument invalidates the cache of every RUN after its ARG line, and
# npm ci and the build above are the same for all seven services, so they are shared between them.
ARG SERVICE
RUN test -f "dist/apps/${SERVICE}/src/main.js" \
 || (echo "dist/apps/${SERVICE}/src/main.js was not built: is SERVICE=${SERVICE} an app under apps/?" >&2 && false)

# ---- prod-deps: runtime dependencies only -------------------------------------------------------
# Pruned from the patched install: patch-package is a dev dependency, so `npm ci --omit=dev` could not
# run the postinstall script; pruning removes the dev packages and leaves the patched files as they are.
FROM deps AS prod-deps
RUN npm prune --omit=dev --no-audit --no-fund && npm cache clean --force

# ---- runtime -----------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
ARG PORT=3101
# Fail the build early, with the list, instead of producing an image that cannot start.
RUN case "${SERVICE}" in \
      ingestion|enrichment|dedupe|scoring|routing|nurture|analytics) ;; \
      *) echo "SERVICE must be one of ingestion|enrichment|dedupe|scoring|routing|nurture|analytics (got '${SERVICE}')" >&2; exit 1 ;; \
    esac
WORKDIR /app
COPY --from=prod-deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# tools/register-dist.cjs maps the @leadstream/* aliases to dist/ and reads them from tsconfig.base.json.
COPY --chown=node:node package.json tsconfig.base.json ./
COPY --chown=node:node tools/register-dist.cjs ./tools/register-dist.cjs
# A fixed entry name lets CMD stay in exec form (node is PID 1 and receives SIGTERM directly,
# so the consumers can finish their batch, commit and leave the group on shutdown).
RUN ln -s "apps/${SERVICE}/src/main.js" dist/service-main.js
ENV PORT=${PORT}
# In a container the service must be reachable from outside it: every interface (npm start keeps 127.0.0.1).
ENV HOST=0.0.0.0
# glibc malloc as npm start sets it (tools/stack/src/stack-config.ts, docs/adr/0005-service-memory.md):
# two arenas, and buffers of 32 KiB or more returned to the system when freed.
ENV MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=32768
# The official node image ships an unprivileged "node" user (uid 1000).
USER node
EXPOSE ${PORT}
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The V8 flags npm start gives every service (small young generation, earlier old-generation collections,
# young collections during uploads): they keep a service under its 200 MB budget; see
# docs/adr/0005-service-memory.md and docs/adr/0009-memory-peaks.md.
CMD ["node", "--max-semi-space-size=4", "--heap-growing-percent=60", "--expose-gc", "-r", "./tools/register-dist.cjs", "dist/service-main.js"]
