#!/usr/bin/env bash
# Creates the platform database on a fresh Postgres: one schema per service,
# each owned by its own login role with no rights anywhere else. The same
# layout as tools/infra/postgres.ts (provisionDatabase), which `npm start` and
# the tests use; tools/deploy/postgres-init.int-spec.ts runs both and compares.
# The postgres image runs it once, on an empty data directory
# (/docker-entrypoint-initdb.d); compose mounts it, Kubernetes gets it from a
# ConfigMap generated from this very file.
#
# Needs each role's password in <ROLE>_PASSWORD (SVC_CATALOG_PASSWORD, ...), or
# in the file <ROLE>_PASSWORD_FILE names (compose's generated secrets, the
# convention of the official images). Connects with the usual PG* variables;
# DATABASE_NAME defaults to shop.
set -euo pipefail

# service:schema:role, as SERVICES in tools/infra/postgres.ts.
SERVICES="catalog:catalog:svc_catalog order:orders:svc_order payment:payments:svc_payment delivery:deliveries:svc_delivery review:reviews:svc_review"
DATABASE_NAME="${DATABASE_NAME:-shop}"

run_psql() {
  psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet --username "${POSTGRES_USER:-postgres}" "$@"
}

# Roles are cluster-wide: created once, with the password from the environment
# (handed to psql as variables, so no quoting can go wrong).
roles_sql=""
password_args=()
for entry in $SERVICES; do
  role="${entry##*:}"
  password_var="$(printf '%s' "$role" | tr '[:lower:]' '[:upper:]')_PASSWORD"
  file_var="${password_var}_FILE"
  password="${!password_var:-}"
  if [ -z "$password" ] && [ -n "${!file_var:-}" ]; then password="$(< "${!file_var}")"; fi
  if [ -z "$password" ]; then
    echo "init-shop: $password_var (or $file_var) is not set" >&2
    exit 1
  fi
  password_args+=(-v "pw_$role=$password")
  roles_sql+="select format('create role %I login password %L noinherit', '$role', :'pw_$role')
  where not exists (select from pg_roles where rolname = '$role') \\gexec
"
done
roles_sql+="select format('create database %I', '$DATABASE_NAME')
  where not exists (select from pg_database where datname = '$DATABASE_NAME') \\gexec
"
printf '%s' "$roles_sql" | run_psql "${password_args[@]}" --dbname postgres

# In the platform database: nobody but the owner uses a schema, nobody uses public.
schema_sql="begin;
revoke all on database \"$DATABASE_NAME\" from public;
revoke all on schema public from public;
"
for entry in $SERVICES; do
  rest="${entry#*:}"
  schema="${rest%%:*}"
  role="${entry##*:}"
  schema_sql+="grant connect, temporary on database \"$DATABASE_NAME\" to \"$role\";
create schema if not exists \"$schema\" authorization \"$role\";
alter schema \"$schema\" owner to \"$role\";
revoke all on schema \"$schema\" from public;
alter role \"$role\" in database \"$DATABASE_NAME\" set search_path = \"$schema\";
"
done
schema_sql+="commit;
"
printf '%s' "$schema_sql" | run_psql --dbname "$DATABASE_NAME"
echo "init-shop: database $DATABASE_NAME ready with schemas for: $SERVICES"
