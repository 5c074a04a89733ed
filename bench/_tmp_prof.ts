import { timeDueCheck } from './nudges.ts';
for (let i = 0; i < 3; i++) console.log(timeDueCheck(100000).toFixed(1));
