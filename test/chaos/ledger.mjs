// The invite ledger read straight from the app's SQLite file, only while the app process is not running
// (between a SIGKILL and the restart, and after the final stop). Opened read-write on purpose: a process
// killed inside a transaction leaves a hot journal, which only a writable connection may roll back (the
// app would do the same when it opens the file next). Each read opens and closes its own connection, so
// nothing of ours is held when the app starts again.
import Database from "better-sqlite3";

function withDatabase(file, read) {
  const db = new Database(file, { fileMustExist: true, timeout: 5_000 });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** Counts between two kills: recipients by status, campaigns, and when each `sending` row was marked. */
export function ledgerCounts(file) {
  return withDatabase(file, (db) => {
    const recipients = db
      .prepare(`SELECT shop, status, COUNT(*) AS n FROM "Recipient" GROUP BY shop, status`)
      .all();
    const campaigns = db
      .prepare(
        `SELECT id, shop, status, failureCode, total, queuedCount, sendingCount, sentCount, skippedCount,
                failedCount, targetsResolved FROM "Campaign"`,
      )
      .all();
    const sendingAt = db
      .prepare(`SELECT sendingAt FROM "Recipient" WHERE status = 'sending'`)
      .all()
      .map((row) => Date.parse(row.sendingAt));
    const byStatus = {};
    for (const row of recipients) byStatus[row.status] = (byStatus[row.status] ?? 0) + row.n;
    return { recipients, byStatus, campaigns, sendingAt };
  });
}

/** Everything the final checks need: every campaign and every recipient row. */
export function readLedger(file) {
  return withDatabase(file, (db) => ({
    campaigns: db
      .prepare(
        `SELECT id, shop, source, idempotencyKey, status, failureCode, failureParams, total, queuedCount,
                sendingCount, sentCount, skippedCount, failedCount, targetsResolved FROM "Campaign"`,
      )
      .all(),
    recipients: db
      .prepare(
        `SELECT shop, campaignId, customerId, status, reasonCode, attempts, stateBefore FROM "Recipient"`,
      )
      .all(),
    sessions: db.prepare(`SELECT shop, isOnline, expires FROM "Session"`).all(),
  }));
}
