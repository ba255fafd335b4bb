# syntax=docker/dockerfile:1
# Build: bundle the TypeScript sources (scripts/build.ts) with every dependency installed.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts/build.ts ./scripts/
COPY src ./src
RUN npm run build

# Runtime: production dependencies and the compiled JavaScript only, as the unprivileged `node` user.
FROM node:24-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000 MALLOC_ARENA_MAX=2
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# As `npm start` (with MALLOC_ARENA_MAX above): the old generation grows by 40% over its live size,
# not up to 4x; an 8 MB semi-space (not 16) halves the young generation; no allocation-site
# pretenuring (bench/README.md says what each bought).
CMD ["node", "--heap-growing-percent=40", "--max-semi-space-size=8", "--no-allocation-site-pretenuring", "dist/main.js"]
