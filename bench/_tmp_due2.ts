import { dueNudges } from '../src/domain/nudge-schedule.ts';
import { population } from './nudges.ts';
const { users, ledger } = population(100000);
const NOW = new Date('2027-01-08T21:00:00Z');
const t: number[] = [];
for (let i = 0; i < 20; i++) { const t0 = performance.now(); dueNudges({ users, ledger, now: new Date(NOW.getTime() + i * 60000), lateWindowHours: 24 }); t.push(performance.now() - t0); }
t.sort((a, b) => a - b);
console.log('min', t[0]?.toFixed(1), 'median', t[10]?.toFixed(1), 'max', t[19]?.toFixed(1));
