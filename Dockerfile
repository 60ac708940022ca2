# Paperboy: one image, run as many replicas as you like against one PostgreSQL database.
# tsx runs the TypeScript sources directly (no build step), so the image is sources + production deps.
FROM node:20-bookworm-slim

ENV NODE_ENV=production \
    PORT=3000
WORKDIR /app

# Dependencies first, so a source change does not reinstall them.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

COPY bin ./bin
COPY src ./src
COPY tsconfig.json slack-manifest.yml ./

# The JSON store (DATABASE_URL=file:...) lives here when PostgreSQL is not used.
RUN mkdir -p /app/data && chown node:node /app/data
USER node

EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"

# SIGTERM (docker stop) lets running digest jobs finish and closes the store cleanly.
ENTRYPOINT ["node", "bin/paperboy.js"]
CMD ["start"]
