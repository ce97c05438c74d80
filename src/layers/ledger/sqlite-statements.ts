/**
 * Every statement the SQLite ledger runs, prepared once when the ledger opens (preparing parses
 * and plans the SQL; doing it per call would dominate the cost of small writes).
 */
import type Database from "better-sqlite3"

type StatementName =
  | "insertRun"
  | "finishRun"
  | "runningRuns"
  | "crashRun"
  | "crashAttemptsOfRun"
  | "getRun"
  | "listRuns"
  | "insertAttempt"
  | "getAttempt"
  | "endAttempt"
  | "attemptsOf"
  | "latestAttempt"
  | "putArtifact"
  | "findArtifact"
  | "latestArtifact"
  | "listArtifacts"
  | "forgetArtifact"
  | "checkpoints"
  | "putCheckpoint"
  | "clearCheckpoints"
  | "insertEvent"
  | "eventsOf"

/** The ledger's prepared statements, by what they do. */
export type LedgerStatements = Readonly<Record<StatementName, Database.Statement>>

export const prepareStatements = (db: Database.Database): LedgerStatements => ({
  insertRun: db.prepare(
    `INSERT OR IGNORE INTO runs (id, pipeline, file, status, started_at, ended_at, pid, argv)
     VALUES (@id, @pipeline, @file, 'running', @startedAt, NULL, @pid, @argv)`
  ),
  finishRun: db.prepare(`UPDATE runs SET status = @status, ended_at = @endedAt WHERE id = @id`),
  runningRuns: db.prepare(`SELECT id, pid FROM runs WHERE status = 'running'`),
  crashRun: db.prepare(
    `UPDATE runs SET status = 'crashed', ended_at = @endedAt WHERE id = @id AND status = 'running'`
  ),
  crashAttemptsOfRun: db.prepare(
    `UPDATE attempts SET status = 'crashed', ended_at = @endedAt WHERE run_id = @runId AND status = 'running'`
  ),
  getRun: db.prepare(`SELECT * FROM runs WHERE id = ?`),
  listRuns: db.prepare(`SELECT * FROM runs ORDER BY started_at DESC, rowid DESC LIMIT ?`),

  insertAttempt: db.prepare(
    `INSERT INTO attempts (run_id, stage_id, attempt, cache_key, status, started_at, ended_at, error, resumed_chunks, rows)
     VALUES (@runId, @stageId, @attempt, @cacheKey, 'running', @startedAt, NULL, NULL, @resumedChunks, NULL)`
  ),
  getAttempt: db.prepare(`SELECT * FROM attempts WHERE id = ?`),
  endAttempt: db.prepare(
    `UPDATE attempts SET status = @status, ended_at = @endedAt, error = @error, rows = COALESCE(@rows, rows)
     WHERE id = @id`
  ),
  attemptsOf: db.prepare(`SELECT * FROM attempts WHERE run_id = ? ORDER BY id`),
  latestAttempt: db.prepare(`SELECT * FROM attempts WHERE stage_id = ? AND cache_key = ? ORDER BY id DESC LIMIT 1`),

  // Replace (delete + insert) rather than update, so the newest commit also has the newest rowid,
  // which breaks ties in `latestArtifact` when two commits share a millisecond.
  putArtifact: db.prepare(
    `INSERT OR REPLACE INTO artifacts
       (stage_id, cache_key, kind, digest, descriptor, key_material, files, run_id, attempt_id, created_at)
     VALUES (@stageId, @cacheKey, @kind, @digest, @descriptor, @keyMaterial, @files, @runId, @attemptId, @createdAt)`
  ),
  findArtifact: db.prepare(`SELECT * FROM artifacts WHERE stage_id = ? AND cache_key = ?`),
  latestArtifact: db.prepare(
    `SELECT * FROM artifacts WHERE stage_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1`
  ),

  listArtifacts: db.prepare(`SELECT * FROM artifacts ORDER BY stage_id, created_at, rowid`),
  forgetArtifact: db.prepare(`DELETE FROM artifacts WHERE stage_id = ? AND cache_key = ?`),
  checkpoints: db.prepare(
    `SELECT chunk, rows, digest FROM checkpoints WHERE stage_id = ? AND cache_key = ? ORDER BY chunk`
  ),
  putCheckpoint: db.prepare(
    `INSERT OR REPLACE INTO checkpoints (stage_id, cache_key, chunk, rows, digest, committed_at)
     VALUES (@stageId, @cacheKey, @chunk, @rows, @digest, @committedAt)`
  ),
  clearCheckpoints: db.prepare(`DELETE FROM checkpoints WHERE stage_id = ? AND cache_key = ?`),

  insertEvent: db.prepare(
    `INSERT INTO events (run_id, at, type, stage_id, data) VALUES (@runId, @at, @type, @stageId, @data)`
  ),
  eventsOf: db.prepare(`SELECT run_id, at, type, stage_id, data FROM events WHERE run_id = ? ORDER BY id`)
})

