/**
 * Prints the suggestion figures (held-out, tuning, all tuned on) and, for the files tuned on only,
 * every miss line by line: `npx tsx tests/helpers/suggestion-tuning-report.ts`. It never lists the
 * misses of the held-out file unless that file was tuned on already (LABELLED_FILES.tunedOnToo).
 */
import { suggestTags } from '../../src/domain/suggest.ts';
import { realLadder } from './ladder.ts';
import { figuresTable, loadTunedOnSet, measure, standardColumns } from './suggestion-eval.ts';

const rules = realLadder().suggestionRules;
const suggest = (text: string) => suggestTags(text, rules);
const tunedOn = measure(loadTunedOnSet(), suggest);
for (const miss of tunedOn.misses) process.stdout.write(`${miss.id} ${miss.what}: ${miss.text}\n`);
process.stdout.write(`\n${figuresTable(standardColumns(suggest))}\n`);
