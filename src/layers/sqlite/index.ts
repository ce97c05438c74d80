/** The Sqlite service and the generic tables of chunked outputs: chunk checkpoints, vector BLOBs. */
export { SqliteError } from "./errors.js"
export { finishBulkLoad, openDatabase, type OpenOptions, type SqliteDatabase } from "./open.js"
export { Sqlite, SqliteLive, sqliteTry, type SqliteService } from "./service.js"
export * from "./chunks-table.js"
export * from "./vectors-table.js"
