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

/** Records that a file defines a level id (a position's or a role's); a second use is a problem. */
export type ClaimLevelId = (id: string, file: string, segments: (string | number)[]) => void;

/** Level ids are shared by positions and roles across every file: each may be defined once. */
export function levelIdClaims(problems: Problems): ClaimLevelId {
  const levelFiles = new Map<string, string>();
  return (id, file, segments) => {
    const owner = levelFiles.get(id);
    if (owner !== undefined) problems.add(file, segments, `level id "${id}" is already used in ${owner}`);
    else levelFiles.set(id, file);
  };
}
