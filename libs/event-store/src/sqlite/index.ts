export { openSqliteEventStore, SqliteEventStore, type SqliteEventStoreOptions } from './sqlite-event-store';
export { currentSchemaVersion } from './schema';
