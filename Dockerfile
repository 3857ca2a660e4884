# cc-bridge: build inside the image, ship only .output.
# Debian (glibc), not Alpine: the libSQL native package traced into .output is the glibc build,
# and .output is platform-specific, so it is built here rather than copied in from a host.

FROM node:22-bookworm-slim AS build
WORKDIR /app
# The whole source goes in before `npm ci` because its postinstall (`nuxt prepare`) needs it.
COPY . .
RUN npm ci && npm run build

FROM node:22-bookworm-slim
ENV ENV=production \
    NODE_ENV=production \
    PORT=3000 \
    CONFIG_DIR=/app/.config \
    NITRO_SHUTDOWN_TIMEOUT=290000
# The config folder is where the Go cc-bridge image keeps it, so compose files that mount
# ./.config:/app/.config keep their data when they switch images.
# DATABASE_URL stays unset: the database is then file:$CONFIG_DIR/cc-bridge.db, on the volume.
# NITRO_SHUTDOWN_TIMEOUT (ms) lets streams running at SIGTERM finish; keep it below the
# platform's own stop timeout (compose stop_grace_period, Fly kill_timeout, Railway drainingSeconds).
WORKDIR /app
COPY --from=build /app/.output ./.output
RUN mkdir -p /app/.config && chown node:node /app/.config
VOLUME ["/app/.config"]
EXPOSE 3000
# slim has no curl or wget; Node's fetch does the probe.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
# The server runs as the unprivileged `node` user. The image starts as root only for this step:
# Fly and Railway mount a fresh volume owned by root, so the config dir is handed to `node`
# first and setpriv then drops to it. Started as non-root (docker run --user …), it just runs.
ENTRYPOINT ["/bin/sh", "-c", "set -e; if [ \"$(id -u)\" = 0 ]; then mkdir -p \"$CONFIG_DIR\"; [ \"$(stat -c %U \"$CONFIG_DIR\")\" = node ] || chown -R node:node \"$CONFIG_DIR\"; exec setpriv --reuid=node --regid=node --init-groups -- \"$@\"; fi; exec \"$@\"", "cc-bridge"]
CMD ["node", ".output/server/index.mjs"]
