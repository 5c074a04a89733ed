import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveLevel, resolveLevelPair } from '../../src/domain/ladder/resolve.ts';
import { signSlackRequest } from '../../src/local/signed-sender.ts';
import { buildCommandPayload } from '../../src/local/slack-api-payloads.ts';
import { buildCompareReply } from '../../src/slack/blocks/compare.ts';
import { buildHelp } from '../../src/slack/blocks/help.ts';
import { buildLevelReply } from '../../src/slack/blocks/level-card.ts';
import { buildLevelsOverview } from '../../src/slack/blocks/levels.ts';
import { helpEntries } from '../../src/slack/help-entries.ts';
import { COMMAND } from '../../src/slack/ids.ts';
import { type Harness, SIGNING_SECRET, startHarness, TEAM, USERS } from '../helpers/harness.ts';
import { realLadder } from '../helpers/ladder.ts';

const alice = USERS[0]?.id as string;
const ladder = realLadder();

/** The ack body Bolt's own ack would write for a message: `JSON.stringify` of the ephemeral reply. */
const normalAck = (message: object) => JSON.stringify({ response_type: 'ephemeral', ...message });

describe('prepared replies reach Slack byte for byte as the normal path would send them', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  /** One signed /ladder command over HTTP; the raw answer with its content type. */
  async function command(text: string): Promise<{ status: number; type: string | null; body: string }> {
    const { fields } = buildCommandPayload(
      { api: h.api, teamId: TEAM, command: COMMAND, now: Date.now },
      { userId: alice, text },
    );
    const raw = new URLSearchParams(fields).toString();
    const res = await fetch(`http://127.0.0.1:${h.app.port}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...signSlackRequest(SIGNING_SECRET, raw, Math.floor(Date.now() / 1000)),
      },
      body: raw,
    });
    return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
  }

  it('answers help, levels, a level and a comparison with the same JSON text, as application/json', async () => {
    const typedLevel = 'TPM5';
    const compareWords = ['senior', 'lead'];
    const cases: Array<[string, string]> = [
      ['help', normalAck(buildHelp(helpEntries()))],
      ['levels', normalAck(buildLevelsOverview(ladder))],
      [typedLevel, normalAck(buildLevelReply(ladder, resolveLevel(ladder, typedLevel), typedLevel))],
      ['lead', normalAck(buildLevelReply(ladder, resolveLevel(ladder, 'lead'), 'lead'))],
      [
        `compare ${compareWords.join(' ')}`,
        normalAck(
          buildCompareReply(
            ladder,
            resolveLevelPair(ladder, compareWords),
            undefined,
            compareWords.join(' '),
          ),
        ),
      ],
    ];
    for (const [text, expected] of cases) {
      const res = await command(text);
      expect(res.status, text).toBe(200);
      expect(res.type, text).toBe('application/json');
      expect(res.body, text).toBe(expected);
    }
  });
});
