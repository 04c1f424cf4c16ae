# The Matrix stack: PostgreSQL, Synapse, Element Web. Managed by matrix-install.
<#-- Every string value goes through yaml(): one double-quoted YAML scalar, whatever it holds. -->
# Start order follows the dependencies: db (healthy), then synapse, then element.
services:
  db:
    image: ${yaml(images.postgres)}
    restart: unless-stopped
    labels:
      # What this container was created from (its definition and the files it reads at start):
      # matrix-install recreates it when the files on disk say otherwise.
      org.matrix-install.inputs: ${yaml((inputs.db)!"")}
    environment:
      POSTGRES_USER: synapse
      POSTGRES_DB: synapse
      # Synapse refuses databases whose collation is not C.
      POSTGRES_INITDB_ARGS: "--encoding=UTF-8 --lc-collate=C --lc-ctype=C"
      # A path, not the password: the image reads the file, so no container environment holds it.
      POSTGRES_PASSWORD_FILE: /run/secrets/postgres_password
    volumes:
      # One volume per PostgreSQL major (postgres.version ${postgres.version?c}): `db upgrade` keeps the previous one.
      - ${postgres.volume}:/var/lib/postgresql/data
      - ./secrets/postgres_password:/run/secrets/postgres_password:ro
    healthcheck:
      # Over TCP, as Synapse connects: the Unix socket answers during initdb's temporary server too.
      test: ["CMD", "pg_isready", "-h", "127.0.0.1", "-U", "synapse", "-d", "synapse"]
      # Short interval: compose waits for this before starting Synapse, on every fresh start.
      interval: 2s
      timeout: 5s
      retries: 30

  synapse:
    image: ${yaml(images.synapse)}
    restart: unless-stopped
    labels:
      # What this container was created from (its definition and the files it reads at start):
      # matrix-install recreates it when the files on disk say otherwise.
      org.matrix-install.inputs: ${yaml((inputs.synapse)!"")}
    environment:
      SYNAPSE_CONFIG_PATH: /data/homeserver.yaml
    volumes:
      - ./files:/data
    ports:
      # Loopback only: the admin API must never be reachable from outside; nginx proxies the rest.
      - "127.0.0.1:${ports.synapse?c}:8008"
    depends_on:
      db:
        condition: service_healthy
    healthcheck:
      test: ["CMD", "curl", "-fSs", "http://localhost:8008/health"]
      interval: 15s
      timeout: 5s
      start_period: 5s
      retries: 3

  element:
    image: ${yaml(images.element)}
    restart: unless-stopped
    labels:
      # What this container was created from (its definition and the files it reads at start):
      # matrix-install recreates it when the files on disk say otherwise.
      org.matrix-install.inputs: ${yaml((inputs.element)!"")}
    volumes:
      - ./element-config.json:/app/config.json:ro
<#if branding?? && branding.files>
      # element.welcome_page / element.logo: a directory, so a replaced file is seen without a restart.
      - ./element-branding:/app/branding:ro
</#if>
    ports:
      - "127.0.0.1:${ports.element?c}:80"
    depends_on:
      # Started after Synapse; matrix-install itself waits for Synapse's /health before the proxy opens.
      - synapse
    healthcheck:
      test: ["CMD", "wget", "-q", "--spider", "http://localhost:80/config.json"]
      interval: 15s
      timeout: 5s
      retries: 3

volumes:
  ${postgres.volume}:
