'use strict';
/**
 * The platform's processes as `npm start` and the end-to-end tests run them:
 * name, port, and the environment each one needs. Add a service here.
 */
const path = require('node:path');

/** @typedef {{ adminUrl: string, dbName: string, brokers: string }} Infra */

const APPS = [
  { name: 'catalog', port: 3001, database: { role: 'svc_catalog', schema: 'catalog' } },
];

/**
 * @param {typeof APPS[number]} app
 * @param {Infra} infra
 */
function appEnv(app, infra, serviceDatabaseUrl) {
  const env = {
    PORT: String(app.port),
    KAFKA_BROKERS: infra.brokers,
    LOG_LEVEL: process.env.LOG_LEVEL || 'info',
  };
  if (app.database) {
    env.DATABASE_URL = serviceDatabaseUrl(infra.adminUrl, infra.dbName, app.database.role);
    env.DATABASE_SCHEMA = app.database.schema;
  }
  return env;
}

function appEntry(root, app) {
  return path.join(root, 'dist', 'apps', app.name, 'src', 'main.js');
}

function migrationsDir(root, app) {
  return path.join(root, 'libs', app.name, 'data-access', 'prisma', 'migrations');
}

module.exports = { APPS, appEnv, appEntry, migrationsDir };
