import { describe, expect, it } from 'vitest';
import { LADDER_COMMAND_KINDS } from '../../../src/domain/command.ts';
import { HANDLERS } from '../../../src/slack/listeners/commands/index.ts';

describe('the /ladder dispatcher', () => {
  it('has a handler for every kind the parser returns', () => {
    const missing = LADDER_COMMAND_KINDS.filter((kind) => typeof HANDLERS[kind] !== 'function');
    expect(missing).toEqual([]);
  });
});
