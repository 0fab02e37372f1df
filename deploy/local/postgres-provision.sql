-- Roles, databases and schemas of the local stack; run by ./flywheel as the PostgreSQL superuser.
-- Idempotent. Each service logs in as its own role and owns only its own schema (DESIGN.md §1).
-- Passwords here are for the local stack only; deploy/ sets real ones from secrets.
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', s, s)
FROM unnest(ARRAY['registry', 'monitor', 'retrain', 'deploy', 'gateway']) AS s
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = s)
\gexec
SELECT format('CREATE DATABASE %I', d)
FROM unnest(ARRAY['flywheel', 'flywheel_test']) AS d
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = d)
\gexec
\connect flywheel
CREATE SCHEMA IF NOT EXISTS registry AUTHORIZATION registry;
CREATE SCHEMA IF NOT EXISTS monitor AUTHORIZATION monitor;
CREATE SCHEMA IF NOT EXISTS retrain AUTHORIZATION retrain;
CREATE SCHEMA IF NOT EXISTS deploy AUTHORIZATION deploy;
CREATE SCHEMA IF NOT EXISTS gateway AUTHORIZATION gateway;
\connect flywheel_test
CREATE SCHEMA IF NOT EXISTS registry AUTHORIZATION registry;
CREATE SCHEMA IF NOT EXISTS monitor AUTHORIZATION monitor;
CREATE SCHEMA IF NOT EXISTS retrain AUTHORIZATION retrain;
CREATE SCHEMA IF NOT EXISTS deploy AUTHORIZATION deploy;
CREATE SCHEMA IF NOT EXISTS gateway AUTHORIZATION gateway;
