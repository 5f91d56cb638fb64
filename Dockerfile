# syntax=docker/dockerfile:1
# Multi-stage: install, generate and compile in a build stage; run the compiled worker as a
# non-root user with production dependencies only.

# Node 24 LTS (Node 20 reached its end of life in April 2026); CI runs the suite on it (.ci/run).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts ./scripts
# `npm ci` runs our `prepare` script, which generates the Prisma client (it needs the dev
# dependency `prisma`, which is why generation happens here and not in the runtime image).
RUN npm ci --no-audit --no-fund
COPY src ./src
COPY tsconfig.json tsconfig.build.json ./
# Compiled JavaScript (src/ only: the simulator and the demo live in dev/ and are not shipped),
# then drop what running does not need. `--omit=dev` alone keeps the prisma CLI (Studio, effect,
# pglite: ~250 MB), because @prisma/client names it as a peer; the compiled worker imports only
# @prisma/client's runtime. The optional packages dropped are native accelerators with JS fallbacks
# (msgpackr-extract) and pg-cloudflare. The production tree is checked by running the compiled
# worker on it (docs/decisions.md, "What ships").
RUN npm run build && npm prune --omit=dev --omit=peer --omit=optional

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    OPS_HOST=0.0.0.0 \
    OPS_PORT=9464 \
    NODE_OPTIONS="--max-old-space-size=128 --max-semi-space-size=2"
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# `cost-sync migrate` reads the migrations at run time.
COPY --from=build --chown=node:node /app/prisma/migrations ./prisma/migrations
COPY bin/cost-sync-compiled.mjs ./bin/
USER node
EXPOSE 9464
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.OPS_PORT||9464)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "bin/cost-sync-compiled.mjs"]
CMD ["worker"]
