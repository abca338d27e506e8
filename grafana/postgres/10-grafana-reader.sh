#!/bin/sh
# Runs once, when the compose PostgreSQL initialises an empty data volume: a login role for
# Grafana that can only read ccost's tables (including the ones migrations create later).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v reader="${GRAFANA_DB_USER:-grafana}" -v password="${GRAFANA_DB_PASSWORD:-grafana}" \
  -v owner="$POSTGRES_USER" -v db="$POSTGRES_DB" <<'SQL'
create role :"reader" login password :'password';
grant connect on database :"db" to :"reader";
grant usage on schema public to :"reader";
grant select on all tables in schema public to :"reader";
alter default privileges for role :"owner" in schema public grant select on tables to :"reader";
alter role :"reader" set default_transaction_read_only = on;
alter role :"reader" set statement_timeout = '60s';
SQL
