# Image of the portal: one image, three commands (docker-compose.yml):
#   npm run server (default) · npm run worker · npm run migrate
# Debian slim, not Alpine: the Temporal worker's native bridge ships glibc builds only
# (TEMPORAL.md §3.4). Node 20 is what the project pins today; Node 20 is end-of-life since
# April 2026, so plan the move: docker build --build-arg NODE_IMAGE=node:22-bookworm-slim .
ARG NODE_IMAGE=node:20-bookworm-slim

# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS base
# Node 20 images carry npm 10, which ignores `allowScripts`; the lockfile and the install-script
# review were made with npm 11.19.1 (STACK.md §2).
RUN npm install --global npm@11.19.1 \
 && npm cache clean --force
# No update check, audit or funding call on every `npm run`.
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

# ---------------------------------------------------------------------------------------------
FROM base AS deps
WORKDIR /app
# Only what `npm ci` reads, so this layer is rebuilt only when dependencies change.
# `.dsfr.yml` must sit in the directory npm runs from: @gouvfr/dsfr's preinstall is a licence
# gate that fails the whole install without it.
COPY package.json package-lock.json .npmrc .dsfr.yml ./
# Backports that the postinstall script (patch-package) applies to installed packages.
COPY patches ./patches
# Install scripts follow package.json `allowScripts` (protobufjs and @parcel/watcher denied).
RUN NODE_ENV=production npm ci --omit=dev

# ---------------------------------------------------------------------------------------------
FROM base AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Code and dependencies stay owned by root: the `node` user can read them, not rewrite them.
COPY --from=deps /app/node_modules ./node_modules
# Sources only: .dockerignore keeps out dev/ (embedded stand-ins), test/, bench/, secrets, VCS.
COPY . .

USER node
EXPOSE 3000
# GET /healthz answers 200 once every component is reachable, 503 otherwise (DESIGN.md).
# slim has no curl: node's own fetch. The worker serves no HTTP: compose disables this there.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["npm", "run", "server"]
