/** What the ladder builders share: the problem list they add to, and a parsed file. */
import { formatPath, type LadderProblem } from './model.ts';

/** Where problems about the set of files as a whole are filed. */
export const ALL_FILES = '(ladder data)';

/** One file's content after its schema, and its name. */
export type Parsed<F> = { file: string; data: F };

export class Problems {
  readonly list: LadderProblem[] = [];
  add(file: string, segments: readonly (string | number)[], message: string): void {
    this.list.push({ file, path: formatPath(segments), segments, message });
  }
}

export function quoteList(values: readonly string[]): string {
  return values.join(', ');
}
