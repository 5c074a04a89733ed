import { population } from './nudges.ts';
const { users, ledger } = population(100000);
for (let r = 0; r < 5; r++) {
  let t0 = performance.now();
  const taken = new Map<string, Map<string, string>>();
  for (const row of ledger) {
    let byUser = taken.get(row.teamId);
    if (!byUser) taken.set(row.teamId, (byUser = new Map()));
    const w = byUser.get(row.userId);
    byUser.set(row.userId, w === undefined ? row.weekKey : `${w} ${row.weekKey}`);
  }
  const a = performance.now() - t0;
  t0 = performance.now();
  let n = 0;
  for (const u of users) { if (!u.enabled) continue; const c = u.createdAt.getTime(); for (let i = 0; i < 2; i++) { if (taken.get(u.teamId)?.get(u.userId)?.includes('2027-W01')) n++; } n += c > 0 ? 1 : 0; }
  const b = performance.now() - t0;
  console.log('taken', a.toFixed(1), 'loop', b.toFixed(1), n);
}
