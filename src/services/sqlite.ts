/**
 * The `Sqlite` service as artifact modules see it: the Tag, its handle type and its error. Stages
 * do not open databases themselves; the artifact module that owns a table does (src/artifacts).
 */
export { Sqlite, sqliteTry, type SqliteService } from "../layers/sqlite/service.js"
export { SqliteError } from "../layers/sqlite/errors.js"
export type { OpenOptions, SqliteDatabase } from "../layers/sqlite/open.js"
