import { timeDueCheck, timeStoredDueCheck } from './nudges.ts';
for (const n of [1000, 10000, 100000]) console.log(n, timeDueCheck(n).toFixed(1));
console.log('stored', (await timeStoredDueCheck(100000)).toFixed(1));
