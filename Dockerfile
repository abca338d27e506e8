# syntax=docker/dockerfile:1
# ccost: `docker build -t ccost .`, then `docker run ccost serve` (the default) or any other
# command, e.g. `docker run --rm ccost collect --org org-abc123`. TypeScript runs through tsx,
# so there is no build step: the builder installs the production dependencies (native
# binaries for this platform included) and the runtime stage copies them with the sources.

FROM node:22-slim AS build
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY bin ./bin
COPY src ./src
COPY migrations ./migrations

FROM node:22-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    CCOST_HOME=/var/lib/ccost \
    CCOST_CONFIG=/etc/ccost/ccost.yaml
RUN groupadd --system --gid 10001 ccost \
 && useradd --system --uid 10001 --gid ccost --home-dir /var/lib/ccost --shell /usr/sbin/nologin ccost \
 && mkdir -p /var/lib/ccost /etc/ccost \
 && chown ccost:ccost /var/lib/ccost
WORKDIR /app
# Owned by root and read-only for the service user: the code cannot be changed at run time.
COPY --from=build /app /app
USER ccost:ccost
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "bin/ccost.js"]
CMD ["serve"]
