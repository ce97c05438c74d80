/**
 * The ledger's SQLite schema as an ordered list of migrations. `PRAGMA user_version` holds how
 * many have been applied; opening a ledger applies the missing ones in one transaction each, and
 * refuses a file written by a newer program (it would misread tables it does not know).
 */
import type Database from "better-sqlite3"

/** Migration `i` moves a database from user_version `i` to `i + 1`. Append only; never edit. */
export const MIGRATIONS: ReadonlyArray<string> = [
  `
  CREATE TABLE runs (
    id         TEXT PRIMARY KEY,
    pipeline   TEXT NOT NULL,
    file       TEXT NOT NULL,
    status     TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    ended_at   INTEGER,
    pid        INTEGER NOT NULL,
    argv       TEXT NOT NULL
  );
  CREATE INDEX runs_started ON runs (started_at);

  CREATE TABLE attempts (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id         TEXT NOT NULL REFERENCES runs (id),
    stage_id       TEXT NOT NULL,
    attempt        INTEGER NOT NULL,
    cache_key      TEXT NOT NULL,
    status         TEXT NOT NULL,
    started_at     INTEGER NOT NULL,
    ended_at       INTEGER,
    error          TEXT,
    resumed_chunks INTEGER NOT NULL,
    rows           INTEGER
  );
  -- Unique: a try number is used once per stage and run, so no attempt row is ever reused.
  CREATE UNIQUE INDEX attempts_run ON attempts (run_id, stage_id, attempt);
  CREATE INDEX attempts_stage ON attempts (stage_id);

  CREATE TABLE artifacts (
    stage_id     TEXT NOT NULL,
    cache_key    TEXT NOT NULL,
    kind         TEXT NOT NULL,
    digest       TEXT NOT NULL,
    descriptor   TEXT NOT NULL,
    key_material TEXT NOT NULL,
    run_id       TEXT NOT NULL REFERENCES runs (id),
    attempt_id   INTEGER NOT NULL REFERENCES attempts (id),
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (stage_id, cache_key)
  );
  CREATE INDEX artifacts_stage_created ON artifacts (stage_id, created_at);

  CREATE TABLE checkpoints (
    stage_id     TEXT NOT NULL,
    cache_key    TEXT NOT NULL,
    chunk        INTEGER NOT NULL,
    rows         INTEGER NOT NULL,
    digest       TEXT,
    committed_at INTEGER NOT NULL,
    PRIMARY KEY (stage_id, cache_key, chunk)
  );

  CREATE TABLE events (
    id       INTEGER PRIMARY KEY,
    run_id   TEXT NOT NULL REFERENCES runs (id),
    at       INTEGER NOT NULL,
    type     TEXT NOT NULL,
    stage_id TEXT,
    data     TEXT
  );
  CREATE INDEX events_run ON events (run_id);
  `,
  // 2: the files each artifact's directory held at commit (JSON), checked before reuse.
  `ALTER TABLE artifacts ADD COLUMN files TEXT;`
]

/** Applies the missing migrations; throws (caller maps to LedgerError) on a newer file. */
export const migrate = (db: Database.Database): void => {
  const current = db.pragma("user_version", { simple: true }) as number
  if (current > MIGRATIONS.length) {
    throw new Error(
      `ledger schema version ${current} is newer than this program understands (${MIGRATIONS.length}); ` +
        `upgrade the program or use another ledger file`
    )
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    const sql = MIGRATIONS[version] ?? ""
    db.transaction(() => {
      db.exec(sql)
      db.pragma(`user_version = ${version + 1}`)
    })()
  }
}
