# PostgreSQL superuser password for the matrix stack. Managed by matrix-install; root only.
POSTGRES_PASSWORD=${secrets.postgres_password}
