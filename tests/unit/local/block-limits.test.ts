import { describe, expect, it } from 'vitest';
import {
  blockTextLength,
  checkBlocks,
  checkMessage,
  checkView,
  findMessageProblems,
  findViewProblems,
  LIMITS,
} from '../../../src/local/block-limits.ts';

const s = (n: number, ch = 'a') => ch.repeat(n);
const plain = (text: string) => ({ type: 'plain_text', text });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const section = (text: string) => ({ type: 'section', text: mrkdwn(text) });
const button = (over: Record<string, unknown> = {}) => ({
  type: 'button',
  text: plain('Go'),
  action_id: 'go',
  value: 'v',
  ...over,
});
const option = (text: string, value: string) => ({ text: plain(text), value });
const options = (n: number) => Array.from({ length: n }, (_, i) => option(`Option ${i}`, `v${i}`));
const modal = (over: Record<string, unknown> = {}) => ({
  type: 'modal',
  callback_id: 'cb',
  title: plain('Log a win'),
  submit: plain('Save'),
  close: plain('Cancel'),
  blocks: [section('hello')],
  ...over,
});

describe('valid fixtures pass', () => {
  it('accepts a message using every block kind at its limits', () => {
    const blocks = [
      { type: 'header', text: plain(s(LIMITS.headerText)) },
      { type: 'section', text: mrkdwn(s(LIMITS.sectionText)), block_id: s(LIMITS.blockId) },
      {
        type: 'section',
        fields: Array.from({ length: LIMITS.sectionFields }, () => mrkdwn(s(200))),
        accessory: { type: 'static_select', action_id: 'pick', options: options(LIMITS.selectOptions) },
      },
      { type: 'divider' },
      { type: 'context', elements: Array.from({ length: LIMITS.contextElements }, () => mrkdwn('x')) },
      {
        type: 'actions',
        elements: Array.from({ length: LIMITS.actionsElements }, (_, i) =>
          button({ action_id: `a${i}`, text: plain(s(LIMITS.buttonText)), value: s(LIMITS.buttonValue) }),
        ),
      },
      { type: 'image', image_url: 'https://example.com/a.png', alt_text: 'chart' },
      { type: 'image', slack_file: { id: 'F123' }, alt_text: 'chart' },
    ];
    expect(checkMessage({ text: 'fallback', blocks })).toEqual([]);
  });

  it('accepts 50 blocks in a message and 100 in a modal and on the Home tab', () => {
    const fifty = Array.from({ length: 50 }, () => ({ type: 'divider' }));
    const hundred = Array.from({ length: 100 }, () => ({ type: 'divider' }));
    expect(checkBlocks('message', fifty)).toEqual([]);
    expect(checkBlocks('modal', hundred)).toEqual([]);
    expect(checkBlocks('home', hundred)).toEqual([]);
  });

  it('accepts a modal with inputs at their limits and a home view', () => {
    const view = modal({
      title: plain(s(LIMITS.viewTitle)),
      submit: plain(s(LIMITS.viewSubmit)),
      close: plain(s(LIMITS.viewClose)),
      private_metadata: s(LIMITS.privateMetadata),
      callback_id: s(LIMITS.callbackId),
      blocks: [
        {
          type: 'input',
          block_id: 'text',
          label: plain('What happened?'),
          element: { type: 'plain_text_input', action_id: 'v', multiline: true, max_length: 3000 },
        },
        {
          type: 'input',
          block_id: 'level',
          label: plain('Level'),
          element: {
            type: 'static_select',
            action_id: 'v',
            options: [option(s(LIMITS.optionText), s(LIMITS.optionValue))],
          },
        },
      ],
    });
    expect(checkView(view)).toEqual([]);
    expect(checkView({ type: 'home', blocks: [section('hi')] })).toEqual([]);
  });

  it('counts characters as code points, as Slack does', () => {
    const emoji = '🚀'.repeat(LIMITS.headerText);
    expect('🚀'.length).toBe(2);
    expect(checkBlocks('message', [{ type: 'header', text: plain(emoji) }])).toEqual([]);
  });
});

describe('one failing fixture per limit', () => {
  const cases: Array<[string, () => string[], RegExp]> = [
    [
      'more than 50 blocks in a message',
      () =>
        checkBlocks(
          'message',
          Array.from({ length: 51 }, () => ({ type: 'divider' })),
        ),
      /^blocks: 51 blocks > 50$/,
    ],
    [
      'more than 100 blocks in a modal',
      () =>
        checkBlocks(
          'modal',
          Array.from({ length: 101 }, () => ({ type: 'divider' })),
        ),
      /^blocks: 101 blocks > 100$/,
    ],
    [
      'more than 100 blocks on the Home tab',
      () =>
        checkBlocks(
          'home',
          Array.from({ length: 101 }, () => ({ type: 'divider' })),
        ),
      /^blocks: 101 blocks > 100$/,
    ],
    [
      'section text over 3000',
      () => checkBlocks('message', [{ type: 'divider' }, section(s(3001))]),
      /^blocks\[1\]\.text\.text: 3001 chars > 3000$/,
    ],
    [
      'more than 10 section fields',
      () =>
        checkBlocks('message', [{ type: 'section', fields: Array.from({ length: 11 }, () => mrkdwn('x')) }]),
      /^blocks\[0\]\.fields: 11 items > 10$/,
    ],
    [
      'a section field over 2000',
      () => checkBlocks('message', [{ type: 'section', fields: [mrkdwn('x'), mrkdwn(s(2001))] }]),
      /^blocks\[0\]\.fields\[1\]\.text: 2001 chars > 2000$/,
    ],
    [
      'header over 150',
      () => checkBlocks('message', [{ type: 'header', text: plain(s(151)) }]),
      /^blocks\[0\]\.text\.text: 151 chars > 150$/,
    ],
    [
      'more than 10 context elements',
      () =>
        checkBlocks('message', [
          { type: 'context', elements: Array.from({ length: 11 }, () => mrkdwn('x')) },
        ]),
      /^blocks\[0\]\.elements: 11 items > 10$/,
    ],
    [
      'more than 25 actions elements',
      () =>
        checkBlocks('message', [
          { type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button({ action_id: `a${i}` })) },
        ]),
      /^blocks\[0\]\.elements: 26 items > 25$/,
    ],
    [
      'button text over 75',
      () => checkBlocks('message', [{ type: 'actions', elements: [button({ text: plain(s(76)) })] }]),
      /^blocks\[0\]\.elements\[0\]\.text\.text: 76 chars > 75$/,
    ],
    [
      'button value over 2000',
      () => checkBlocks('message', [{ type: 'actions', elements: [button({ value: s(2001) })] }]),
      /^blocks\[0\]\.elements\[0\]\.value: 2001 chars > 2000$/,
    ],
    [
      'action_id over 255',
      () => checkBlocks('message', [{ type: 'actions', elements: [button({ action_id: s(256) })] }]),
      /^blocks\[0\]\.elements\[0\]\.action_id: 256 chars > 255$/,
    ],
    [
      'block_id over 255',
      () => checkBlocks('message', [{ type: 'divider', block_id: s(256) }]),
      /^blocks\[0\]\.block_id: 256 chars > 255$/,
    ],
    [
      'callback_id over 255',
      () => checkView(modal({ callback_id: s(256) })),
      /^callback_id: 256 chars > 255$/,
    ],
    [
      'static_select with more than 100 options',
      () =>
        checkBlocks('modal', [
          { type: 'section', text: mrkdwn('x'), accessory: { type: 'static_select', options: options(101) } },
        ]),
      /^blocks\[0\]\.accessory\.options: 101 items > 100$/,
    ],
    [
      'multi_static_select with more than 100 options',
      () =>
        checkBlocks('modal', [
          {
            type: 'input',
            label: plain('Tags'),
            element: { type: 'multi_static_select', action_id: 'v', options: options(101) },
          },
        ]),
      /^blocks\[0\]\.element\.options: 101 items > 100$/,
    ],
    [
      'option text over 75',
      () =>
        checkBlocks('modal', [
          {
            type: 'section',
            text: mrkdwn('x'),
            accessory: { type: 'static_select', options: [option(s(76), 'v')] },
          },
        ]),
      /^blocks\[0\]\.accessory\.options\[0\]\.text\.text: 76 chars > 75$/,
    ],
    [
      'option value over 75',
      () =>
        checkBlocks('modal', [
          {
            type: 'section',
            text: mrkdwn('x'),
            accessory: { type: 'static_select', options: [option('t', s(76))] },
          },
        ]),
      /^blocks\[0\]\.accessory\.options\[0\]\.value: 76 chars > 75$/,
    ],
    [
      'plain_text_input max_length over 3000',
      () =>
        checkBlocks('modal', [
          { type: 'input', label: plain('Note'), element: { type: 'plain_text_input', max_length: 3001 } },
        ]),
      /^blocks\[0\]\.element\.max_length: 3001 > 3000$/,
    ],
    ['modal title over 24', () => checkView(modal({ title: plain(s(25)) })), /^title\.text: 25 chars > 24$/],
    [
      'modal submit over 24',
      () => checkView(modal({ submit: plain(s(25)) })),
      /^submit\.text: 25 chars > 24$/,
    ],
    ['modal close over 24', () => checkView(modal({ close: plain(s(25)) })), /^close\.text: 25 chars > 24$/],
    [
      'private_metadata over 3000',
      () => checkView(modal({ private_metadata: s(3001) })),
      /^private_metadata: 3001 chars > 3000$/,
    ],
    [
      'a view over 250 kB',
      () =>
        checkView({
          type: 'home',
          blocks: Array.from({ length: 90 }, () => section(s(2900, 'é'))),
        }),
      /^\(root\): view is \d+ bytes > 250000$/,
    ],
    [
      'message block text over 13,000 in total',
      () => checkMessage({ text: 'fallback', blocks: Array.from({ length: 5 }, () => section(s(2900))) }),
      /^blocks: msg_blocks_too_long: 14500 chars of block text > 13000$/,
    ],
    [
      'blocks without a text fallback',
      () => checkMessage({ blocks: [section('hi')] }),
      /^text: required as the notification fallback/,
    ],
  ];

  it.each(cases)('%s', (_name, run, expected) => {
    const problems = run();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
  });
});

describe('structurally invalid blocks', () => {
  it.each<[string, unknown, RegExp]>([
    ['unknown block type', { type: 'carousel' }, /blocks\[0\]\.type: unknown block type "carousel"/],
    ['section without text or fields', { type: 'section' }, /blocks\[0\]: section needs text or fields/],
    ['header without text', { type: 'header' }, /blocks\[0\]\.text: required/],
    [
      'mrkdwn in a header',
      { type: 'header', text: mrkdwn('*x*') },
      /blocks\[0\]\.text\.type: must be plain_text/,
    ],
    [
      'image without a source',
      { type: 'image', alt_text: 'x' },
      /blocks\[0\]: image needs image_url or slack_file/,
    ],
    [
      'image without alt_text',
      { type: 'image', image_url: 'https://x/y.png' },
      /blocks\[0\]\.alt_text: required/,
    ],
    ['input without element', { type: 'input', label: plain('x') }, /blocks\[0\]\.element: required/],
    [
      'input without label',
      { type: 'input', element: { type: 'plain_text_input' } },
      /blocks\[0\]\.label: required/,
    ],
    ['empty section text', section(''), /blocks\[0\]\.text\.text: must not be empty/],
    [
      'an image inside actions',
      { type: 'actions', elements: [{ type: 'image', image_url: 'https://x', alt_text: 'x' }] },
      /element type "image" is not allowed here/,
    ],
  ])('%s', (_name, block, expected) => {
    const problems = checkBlocks('modal', [block]);
    expect(problems.join('\n')).toMatch(expected);
  });

  it('refuses duplicate block_ids and duplicate action_ids within a block', () => {
    expect(
      checkBlocks('message', [
        { type: 'divider', block_id: 'a' },
        { type: 'divider', block_id: 'a' },
      ]),
    ).toEqual(['blocks[1].block_id: duplicate block_id "a"']);
    expect(checkBlocks('message', [{ type: 'actions', elements: [button(), button()] }])).toEqual([
      'blocks[0].elements[1].action_id: duplicate action_id "go" in this block',
    ]);
  });

  it('refuses a modal with inputs but no submit button, and views of other types', () => {
    const inputs = [
      { type: 'input', label: plain('x'), element: { type: 'plain_text_input', action_id: 'v' } },
    ];
    expect(checkView(modal({ submit: undefined, blocks: inputs }))).toEqual([
      'submit: required when the modal has input blocks',
    ]);
    expect(checkView({ type: 'workflow_step', blocks: [] })).toEqual([
      'type: must be modal or home, not "workflow_step"',
    ]);
    expect(checkView(modal({ title: undefined }))).toEqual(['title: required']);
  });

  it('needs text or blocks in a message', () => {
    expect(findMessageProblems({}).map((p) => p.code)).toEqual(['no_text']);
    expect(checkMessage({ text: 'just text' })).toEqual([]);
  });

  it('tags problems with the error code Slack would answer', () => {
    expect(findViewProblems(modal({ title: plain(s(25)) })).map((p) => p.code)).toEqual(['invalid']);
    const big = { type: 'home', blocks: Array.from({ length: 90 }, () => section(s(2900, 'é'))) };
    expect(findViewProblems(big).map((p) => p.code)).toEqual(['view_too_large']);
    const long = { text: 'x', blocks: Array.from({ length: 5 }, () => section(s(2900))) };
    expect(findMessageProblems(long).map((p) => p.code)).toEqual(['msg_blocks_too_long']);
  });

  it('sums the text a message carries across blocks, fields and elements', () => {
    const blocks = [
      section('abc'),
      { type: 'section', fields: [mrkdwn('de')], accessory: button({ text: plain('fgh') }) },
      { type: 'context', elements: [plain('ij')] },
    ];
    expect(blockTextLength(blocks)).toBe(3 + 2 + 3 + 2);
  });
});
