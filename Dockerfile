# docspace-mcp container image.
#
#   docker build -t docspace-mcp .
#   docker run --rm -p 8080:8080 -e DOCSPACE_BASE_URL=https://portal.example.com docspace-mcp
#
# Two stages: `build` compiles the TypeScript with the dev dependencies and packs the npm
# package; `runtime` installs that package with production dependencies only and runs it as an
# unprivileged user. No secret is baked in: DOCSPACE_SECRET, API keys and OAuth client secrets
# come from the environment or from files mounted at run time (DOCSPACE_SECRET_FILE).
# scripts/runtime-stage.mjs performs the runtime stage's steps outside Docker (see
# docs/deployment.md for what it does and does not exercise).

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json README.md LICENSE ./
COPY src ./src
COPY emulator ./emulator
COPY docs ./docs
# `npm pack` runs prepack (tsc) and writes docspace-mcp-<version>.tgz: the same file as on npm.
RUN npm pack --pack-destination /tmp/pack

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
COPY --from=build /tmp/pack/ /tmp/pack/
RUN npm install --global --omit=dev --no-audit --no-fund /tmp/pack/docspace-mcp-*.tgz \
  && rm -rf /tmp/pack /root/.npm
# The official Node images have an unprivileged `node` user (uid 1000).
USER node
WORKDIR /home/node
ENV DOCSPACE_TRANSPORT=http
ENV DOCSPACE_HOST=0.0.0.0
ENV DOCSPACE_PORT=8080
EXPOSE 8080
# Liveness only (the process answers); /readyz also checks DocSpace and Redis, which belongs to
# the orchestrator's readiness probe, not to a restart decision.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.DOCSPACE_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["docspace-mcp"]
CMD ["serve"]
