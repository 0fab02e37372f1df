-- Roles and one database with a schema per service; run by ./flywheel as the PostgreSQL superuser,
-- once per database (psql -v db=<name>). Idempotent. Each service logs in as its own role and owns
-- only its own schema. Passwords here are for the local and test stacks only; a real deployment
-- sets them from secrets.
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', s, s)
FROM unnest(ARRAY['registry', 'monitor', 'retrain', 'deploy', 'gateway']) AS s
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = s)
\gexec
SELECT format('CREATE DATABASE %I', :'db')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db')
\gexec
\connect :db
CREATE SCHEMA IF NOT EXISTS registry AUTHORIZATION registry;
CREATE SCHEMA IF NOT EXISTS monitor AUTHORIZATION monitor;
CREATE SCHEMA IF NOT EXISTS retrain AUTHORIZATION retrain;
CREATE SCHEMA IF NOT EXISTS deploy AUTHORIZATION deploy;
CREATE SCHEMA IF NOT EXISTS gateway AUTHORIZATION gateway;
