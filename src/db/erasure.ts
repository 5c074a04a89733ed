import type { Db } from './connection.ts';

/** How long a person waits, at most, for their deleted words to leave the write-ahead log. */
const WAIT_MS = 5_000;
/** After that, the truncation keeps being retried in the background for this long. */
const BACKGROUND_MS = 10 * 60_000;

export interface ErasureOptions {
  /** Told when a reader kept the log from being truncated past the wait (the data is still deleted). */
  onDelayed?: (info: { waitedMs: number }) => void;
  sleep?: (ms: number) => Promise<void>;
}

export interface Erasure {
  /**
   * Call after a commit that deleted or replaced a person's words: resolves once the write-ahead
   * log has been checkpointed into the database file and truncated, so the old bytes are in
   * neither the file (secure_delete zeroes them there) nor the `-wal`. True when done; false when
   * a reader (a running backup, another process) still blocks it after a few seconds, in which
   * case it keeps retrying in the background.
   */
  scrub(): Promise<boolean>;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function createErasure(db: Db, opts: ErasureOptions = {}): Erasure {
  const sleep = opts.sleep ?? realSleep;

  /** One `wal_checkpoint(TRUNCATE)` that never waits on the busy handler (it would block the event loop). */
  function truncateOnce(): boolean {
    if (!db.open) return true;
    if (db.memory) return true;
    const previous = db.pragma('busy_timeout', { simple: true }) as number;
    db.pragma('busy_timeout = 0');
    try {
      const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number; log: number }>;
      return result?.busy === 0 && result.log <= 0;
    } catch {
      return false;
    } finally {
      if (db.open) db.pragma(`busy_timeout = ${previous}`);
    }
  }

  async function retry(untilMs: number, started: number): Promise<boolean> {
    let delay = 25;
    while (Date.now() - started < untilMs) {
      await sleep(delay);
      if (truncateOnce()) return true;
      delay = Math.min(delay * 2, 1_000);
    }
    return false;
  }

  return {
    async scrub() {
      if (truncateOnce()) return true;
      const started = Date.now();
      if (await retry(WAIT_MS, started)) return true;
      opts.onDelayed?.({ waitedMs: Date.now() - started });
      void retry(BACKGROUND_MS, started);
      return false;
    },
  };
}
