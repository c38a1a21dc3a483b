# syntax=docker/dockerfile:1
# One image for every service; docker-compose.yml picks the entry point per service.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY infra/package.json infra/
COPY integrations/package.json integrations/
COPY ai/package.json ai/
COPY fakes/package.json fakes/
COPY gateway/package.json gateway/
COPY stack/package.json stack/
COPY partner-client/package.json partner-client/
COPY subgraphs/auth/package.json subgraphs/auth/
COPY subgraphs/brand/package.json subgraphs/brand/
COPY subgraphs/strategy/package.json subgraphs/strategy/
COPY subgraphs/creation/package.json subgraphs/creation/
COPY subgraphs/campaigns/package.json subgraphs/campaigns/
COPY web/package.json web/
# Test support is a workspace too: npm ci needs its manifest; the image needs nothing else of it.
COPY test-support/package.json test-support/
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json tsconfig.json turbo.json ./
COPY infra infra
COPY integrations integrations
COPY ai ai
COPY fakes fakes
COPY gateway gateway
COPY stack stack
COPY partner-client partner-client
COPY subgraphs subgraphs
COPY schema schema
COPY web web
# The web app is static files; the gateway serves them (web/dist).
RUN npx tsc -b && npm run build --workspace web && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/infra infra
COPY --from=build /app/integrations integrations
COPY --from=build /app/ai ai
COPY --from=build /app/fakes fakes
COPY --from=build /app/gateway gateway
COPY --from=build /app/stack stack
COPY --from=build /app/partner-client partner-client
COPY --from=build /app/subgraphs subgraphs
COPY --from=build /app/schema schema
COPY --from=build /app/web/dist web/dist
USER node
# Overridden per service in docker-compose.yml.
CMD ["node", "stack/dist/main.js"]
