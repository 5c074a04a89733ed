import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.ts';
import { migrate, readMigrations } from '../../src/db/migrate.ts';
import { type LocalSlackApi, startLocalSlackApi } from '../../src/local/slack-api.ts';
import { BOT_TOKEN, manifestScopes, TEAM, USERS } from '../helpers/harness.ts';
import {
  integrityOf,
  SAVED,
  seed,
  seededRandom,
  shown,
  sleep,
  soak,
  startChildLadder,
} from '../helpers/reliability.ts';
import { tempDir } from '../helpers/tmp.ts';

const root = path.resolve(import.meta.dirname, '../..');
const ROUNDS = soak(20, 150);
const MIGRATION_ROUNDS = soak(8, 60);
const WRITERS = 4;
const SEED = await seed(20_261_123);

interface Sent {
  userId: string;
  /** What the entry's text must be once stored (the hashtag is read off as a tag). */
  text: string;
}

interface EvidenceRow {
  id: number;
  user_id: string;
  text: string;
  axes: string;
  occurred_on: string;
  source: string;
  deliveries: number;
}

describe('crash safety: SIGKILL while entries stream in through signed /ladder log requests', () => {
  let api: LocalSlackApi;
  afterAll(async () => {
    await api?.close();
  });

  it(`keeps every confirmed entry once and whole, and the database intact, across ${ROUNDS} kills (seed ${SEED})`, {
    timeout: soak(240_000, 3_600_000),
  }, async () => {
    const rand = seededRandom(SEED);
    api = await startLocalSlackApi({
      botToken: BOT_TOKEN,
      scopes: manifestScopes(),
      teamId: TEAM,
      users: USERS,
    });
    const dbPath = path.join(tempDir('ladder-crash-'), 'crash.db');
    const sent = new Map<string, Sent>();
    const confirmed = new Set<string>();
    let inFlightAtKill = 0;
    let roundsKilledMidRequest = 0;

    for (let round = 0; round < ROUNDS; round++) {
      // Two people new to the app each round: their first entry is confirmed by response URL
      // (after users.info); the others' in the ack body.
      const fresh = [0, 1].map((k) => ({
        id: `U0CR${round}X${k}`,
        name: `crash-${round}-${k}`,
        tz: 'Europe/Paris',
      }));
      for (const u of fresh) api.addUser(u);
      const people = [...USERS.map((u) => u.id), ...fresh.map((u) => u.id)];
      const app = await startChildLadder({ dbPath, api, senderTimeoutMs: 5_000 });
      const killAfterMs = 20 + Math.floor(rand() * 600);
      let stop = false;
      let inFlight = 0;
      const byResponseUrl: Array<{ url: string; key: string }> = [];
      const writer = async (w: number) => {
        for (let i = 0; !stop; i++) {
          const key = `crash r${round} w${w} n${i} ${Math.floor(rand() * 1e9).toString(36)}`;
          const userId = people[Math.floor(rand() * people.length)] as string;
          sent.set(key, { userId, text: key });
          inFlight += 1;
          try {
            const res = await app.sender.command({ userId, text: `log ${key} #process` });
            const reply = shown(res.json);
            if (res.status === 200 && reply.includes(SAVED) && reply.includes(key)) confirmed.add(key);
            else if (res.status === 200 && res.responseUrl) byResponseUrl.push({ url: res.responseUrl, key });
          } catch {
            // The process died under this request: not confirmed, so it may or may not be stored.
          } finally {
            inFlight -= 1;
          }
        }
      };
      const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
      await sleep(killAfterMs);
      inFlightAtKill = inFlight;
      app.child.proc.kill('SIGKILL');
      stop = true;
      await Promise.all(writers);
      const exit = await app.child.exited;
      expect(exit.signal).toBe('SIGKILL');
      if (inFlightAtKill > 0) roundsKilledMidRequest += 1;
      // A confirmation that reached the user through the response URL before the kill.
      for (const { url, key } of byResponseUrl) {
        if (api.state.postsTo(url).some((p) => shown(p.body).includes(SAVED) && shown(p.body).includes(key)))
          confirmed.add(key);
      }

      // The next start opens the database exactly like this (WAL recovery included).
      expect(integrityOf(dbPath), `round ${round}: integrity_check`).toBe('ok');
      const db = openDatabase(dbPath);
      const rows = db
        .prepare(
          `SELECT e.id, e.user_id, e.text, e.axes, e.occurred_on, e.source,
             (SELECT COUNT(*) FROM deliveries d WHERE d.team_id = e.team_id AND d.entry_id = e.id) AS deliveries
           FROM evidence e`,
        )
        .all() as EvidenceRow[];
      db.close();
      const byText = new Map<string, EvidenceRow[]>();
      for (const r of rows) byText.set(r.text, [...(byText.get(r.text) ?? []), r]);
      for (const key of confirmed) {
        expect(byText.get(key)?.length ?? 0, `round ${round}: confirmed entry "${key}" stored once`).toBe(1);
      }
      for (const [text, stored] of byText) {
        expect(stored.length, `round ${round}: "${text}" stored twice`).toBe(1);
        const row = stored[0] as EvidenceRow;
        const expected = sent.get(text);
        // Whole: exactly what was sent, by whom, tagged, dated, with its delivery key written with it.
        expect(expected, `round ${round}: a row nobody sent: ${JSON.stringify(row)}`).toBeDefined();
        expect(row).toMatchObject({
          user_id: expected?.userId,
          axes: '["process"]',
          source: 'command',
          deliveries: 1,
        });
        expect(row.occurred_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
    }

    const stored = new Set(
      (() => {
        const db = openDatabase(dbPath);
        const texts = db.prepare('SELECT text FROM evidence').pluck().all() as string[];
        db.close();
        return texts;
      })(),
    );
    const unconfirmedButStored = [...stored].filter((t) => !confirmed.has(t)).length;
    process.stdout.write(
      `crash: ${ROUNDS} SIGKILLs (seed ${SEED}), ${sent.size} entries sent, ${confirmed.size} confirmed and all ` +
        `present once, ${unconfirmedButStored} stored without a confirmation, ${roundsKilledMidRequest} kills with ` +
        'requests in flight\n',
    );
    expect(confirmed.size).toBeGreaterThan(ROUNDS);
    // The kills must land while requests are being handled, or the test proves nothing.
    expect(roundsKilledMidRequest).toBeGreaterThanOrEqual(Math.ceil(ROUNDS * 0.8));
  });
});

/** The schema a database has: every table, index and trigger with its SQL. */
function schemaOf(file: string): string {
  const db = openDatabase(file);
  try {
    return JSON.stringify(
      db
        .prepare(
          "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .all(),
    );
  } finally {
    db.close();
  }
}

describe('crash safety: SIGKILL during `cli migrate` of a fresh database', () => {
  it(`leaves whole migrations only, and migrating again completes the schema (${MIGRATION_ROUNDS} kills, seed ${SEED})`, {
    timeout: soak(120_000, 1_800_000),
  }, async () => {
    const rand = seededRandom(SEED + 1);
    const files = readMigrations();
    const dir = tempDir('ladder-crash-migrate-');
    // The schema after the first k migrations, for every k: a kill may only ever leave one of these.
    const schemaAfter: string[] = [];
    for (let k = 0; k <= files.length; k++) {
      const migrations = path.join(dir, `prefix-${k}`);
      fs.mkdirSync(migrations);
      for (const f of files.slice(0, k)) fs.writeFileSync(path.join(migrations, f.name), f.sql);
      const file = path.join(dir, `reference-${k}.db`);
      const db = openDatabase(file);
      migrate(db, migrations);
      db.close();
      schemaAfter.push(schemaOf(file));
    }

    /** Runs `cli migrate`; kills it `delayMs` after the database file appears. Resolves with the exit. */
    const migrateKilledAfter = (dbPath: string, delayMs: number | null) =>
      new Promise<{ signal: NodeJS.Signals | null; code: number | null; ms: number }>((resolve) => {
        const proc = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'migrate'], {
          cwd: root,
          env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_PATH: dbPath },
          stdio: 'ignore',
        });
        let createdAt = 0;
        const watcher = fs.watch(path.dirname(dbPath), (_e, name) => {
          if (createdAt || name !== path.basename(dbPath)) return;
          createdAt = performance.now();
          if (delayMs !== null) setTimeout(() => proc.kill('SIGKILL'), delayMs);
        });
        proc.on('exit', (code, signal) => {
          watcher.close();
          resolve({ code, signal, ms: createdAt ? performance.now() - createdAt : 0 });
        });
      });

    // How long migrating takes once the file exists: the kills are spread over that window.
    const calibration = await migrateKilledAfter(path.join(dir, 'calibrate.db'), null);
    expect(calibration.code).toBe(0);
    const window = Math.max(20, calibration.ms * 1.2);

    let killedMidway = 0;
    const batch = 4;
    for (let start = 0; start < MIGRATION_ROUNDS; start += batch) {
      const rounds = Array.from({ length: Math.min(batch, MIGRATION_ROUNDS - start) }, (_, i) => start + i);
      const results = await Promise.all(
        rounds.map(async (round) => {
          const dbPath = path.join(dir, `round-${round}`, 'ladder.db');
          fs.mkdirSync(path.dirname(dbPath));
          const exit = await migrateKilledAfter(dbPath, Math.floor(rand() * window));
          return { round, dbPath, exit };
        }),
      );
      for (const { round, dbPath, exit } of results) {
        if (!fs.existsSync(dbPath)) continue;
        expect(integrityOf(dbPath), `round ${round}: integrity_check`).toBe('ok');
        const db = openDatabase(dbPath);
        const hasLedger = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'schema_migrations'").get();
        const applied = hasLedger
          ? (db.prepare('SELECT name FROM schema_migrations ORDER BY id').pluck().all() as string[])
          : [];
        db.close();
        // Whole migrations only, in order: the schema is exactly that of the first k.
        expect(applied).toEqual(files.slice(0, applied.length).map((f) => f.name));
        const schema = JSON.parse(schemaOf(dbPath)) as Array<{ name: string }>;
        const expected = JSON.parse(schemaAfter[applied.length] as string) as Array<{ name: string }>;
        expect(
          schema.filter((o) => o.name !== 'schema_migrations' || hasLedger),
          `round ${round}: schema after ${applied.length} migration(s)`,
        ).toEqual(expected.filter((o) => o.name !== 'schema_migrations' || hasLedger));
        if (exit.signal === 'SIGKILL' && applied.length < files.length) killedMidway += 1;
        // Migrating again (as the next start does) completes the schema.
        const again = openDatabase(dbPath);
        migrate(again);
        again.close();
        expect(schemaOf(dbPath), `round ${round}: schema after migrating again`).toBe(
          schemaAfter[files.length],
        );
      }
    }
    process.stdout.write(
      `crash: ${MIGRATION_ROUNDS} migrate runs killed (seed ${SEED + 1}), ${killedMidway} before the last migration\n`,
    );
    expect(killedMidway).toBeGreaterThan(0);
  });
});
