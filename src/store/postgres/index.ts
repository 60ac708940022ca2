export { openPostgresStore, type PostgresStoreOptions } from './store.ts';
export { MIGRATIONS, runMigrations, type Migration } from './migrations.ts';
export { redactUrl } from './db.ts';
