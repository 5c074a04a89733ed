import { run } from './nudges.ts';
const rows = await run();
for (const r of rows) console.log(`${r.name} | ${r.value} | ${r.goal} | ${r.pass}`);
