/**
 * Migrations are forward-only and never edited once landed: a database records each file's
 * checksum and refuses to start when a file it applied has changed. This pins every landed file;
 * a new migration takes the next free number and is added here when it lands.
 * (The SQLite files moved from migrations/ to migrations/sqlite/ unchanged, so databases made
 * before PostgreSQL arrived keep their recorded names and checksums and upgrade untouched.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checksumOf } from '../../../src/db/migrate.ts';
import { MIGRATIONS_ROOT } from '../../../src/paths.ts';

const LANDED: Record<'sqlite' | 'postgres', Record<string, string>> = {
  sqlite: {
    '0001_init.sql': 'abe96e23c8f0353ef713ebef2e2ebe8639cab6a77a9682688018ae0fb42c3e5e',
    '0002_evidence.sql': 'aced676c01a79d8d10c0202402359bc23aaedf7d7579ed871a3cd9fc1006f14a',
    '0003_nudges.sql': 'b726f1d114f8947f035e50e1a10e18714d2e5970d8743d78c8580f1e2db29ecb',
    '0004_exports.sql': '9def75c7774748c40d42e7dd1c3e0d2689d54679990ca41ca3065ae79c5351a0',
    '0005_database_metadata.sql': '05333158a0c904248096aa018f8be943d13e8a756ecb6a50eb8ebbac66283faa',
    '0006_profile_roles.sql': '9b1db13eb472d044f89b718aa3dd7f1727bba95440d88e7866d047ed5757d236',
    '0007_readable_text.sql': 'e45b02fc7590b0206c3f3a426df31d295be93fc8053f05e7ffc20f25514526f5',
    '0008_digest.sql': '0124878a82e99be0c10ebed0d586d6bafcb2187c8a26784049aa90728f084864',
    '0009_next_due.sql': '7df9c3da98a27bd1feae8abff35df43a092c907aab8289382ca294a14c269489',
    '0010_installations.sql': '9fcfb32a3590f6de77eb871459370afcf0aec81f71ad239dcadae0fc18c5af88',
    '0011_send_leases.sql': '647ed3d3b63765f372dd7392645092dd9836aa496793da930a62bee33f5529bb',
    '0012_token_refresh.sql': '61dd40c4c609efe7218430280c3de12b6b18fc14e0f038eadbf45ba5c8883949',
    '0013_owner_indexes.sql': '32628e5a29b6f7981ea65abbe19bc4deca1379e9484a2db8800b1e95d23576ea',
  },
  postgres: {
    '0001_init.sql': '0ebff98a78ffd5441f75499a04a99a41b6745f65c5343a394d9d083547800cc6',
    '0002_evidence.sql': 'b7d2cec0b99737c5429e6bda326780ccf6a22ab45cf3d517e0e71bd4c5c27c26',
    '0003_nudges.sql': '08f98ef6ffe909ec98c9583dfa6c350596a59bb9ae78582738c26466ba5ebcdd',
    '0004_exports.sql': '4a485c65e539d7821ff50bf341bbf98a66d3dbc9128ab6fac08fa63600d223f8',
    '0005_database_metadata.sql': '645e225613f0ada2003559ede621ec5b6aba9bd0f9f4f3c9be64093062ed6b4c',
    '0006_profile_roles.sql': 'c6c7becda503b34cdf07bf4e1225d7dcc97cc1065fa17830cc2e397cbc97210a',
    '0007_readable_text.sql': '3e18f9451eef672e2133acc7e48bd79ae6d91134c083772aa32033fde0fa2ad3',
    '0008_digest.sql': '4924c1cb7e6c840014ffaa71f911ffeb1cb4fe5681e0b42b6afd4267beeaf5d7',
    '0009_next_due.sql': '7786ac2161bfa9b681a6bd0b2781a3c2ceb0d7a94610803dd59a7f0a64cf4304',
    '0010_installations.sql': '5ddbd4a6d599f0e9369851dd4e87ccdeb738315420c45ae819466b8343092ddf',
    '0011_send_leases.sql': '7de71a8675d1ddaffd18e4c1fdc2c843041fc7975808f90146b9c8ddeffafc53',
    '0012_token_refresh.sql': 'e54b075d788bf5e13ccf5f58502a3b927b1b06f6d870fc34fb3788b99758904e',
    '0013_owner_indexes.sql': '32628e5a29b6f7981ea65abbe19bc4deca1379e9484a2db8800b1e95d23576ea',
  },
};

describe.each(['sqlite', 'postgres'] as const)('landed %s migrations', (engine) => {
  const dir = path.join(MIGRATIONS_ROOT, engine);
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.sql'));

  it('are all still there, byte for byte', () => {
    for (const [name, checksum] of Object.entries(LANDED[engine])) {
      expect(files, name).toContain(name);
      expect(checksumOf(fs.readFileSync(path.join(dir, name), 'utf8')), name).toBe(checksum);
    }
  });

  it('a file that is not pinned yet comes after every pinned one', () => {
    const last = Object.keys(LANDED[engine]).sort().at(-1) ?? '';
    for (const f of files.filter((f) => !(f in LANDED[engine]))) expect(f > last, f).toBe(true);
  });
});
