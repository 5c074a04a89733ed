import { describe, expect, it } from 'vitest';
import { ackMessage, asSlackSendsIt } from '../../../src/local/page-actions.ts';
import { buildAction, buildStateValues, findElement } from '../../../src/local/page-payloads.ts';
import { compareTs } from '../../../src/local/page-state.ts';

const opt = (v: string) => ({ text: { type: 'plain_text', text: v.toUpperCase() }, value: v });

const modalBlocks = [
  {
    type: 'input',
    block_id: 'text',
    label: { type: 'plain_text', text: 'What?' },
    element: { type: 'plain_text_input', action_id: 'value', multiline: true },
  },
  {
    type: 'input',
    block_id: 'date',
    label: { type: 'plain_text', text: 'When?' },
    element: { type: 'datepicker', action_id: 'value', initial_date: '2026-11-19' },
  },
  {
    type: 'input',
    block_id: 'axes',
    optional: true,
    label: { type: 'plain_text', text: 'Axes' },
    element: { type: 'multi_static_select', action_id: 'value', options: [opt('people'), opt('process')] },
  },
  {
    type: 'input',
    block_id: 'shift',
    optional: true,
    label: { type: 'plain_text', text: 'Shift' },
    element: {
      type: 'static_select',
      action_id: 'value',
      option_groups: [
        { label: { type: 'plain_text', text: 'g' }, options: [opt('enabling'), opt('preventing')] },
      ],
    },
  },
  {
    type: 'input',
    block_id: 'link',
    optional: true,
    label: { type: 'plain_text', text: 'Link' },
    element: { type: 'url_text_input', action_id: 'value' },
  },
  { type: 'section', text: { type: 'mrkdwn', text: 'no element' } },
  {
    type: 'actions',
    elements: [
      {
        type: 'button',
        action_id: 'go',
        text: { type: 'plain_text', text: 'Go' },
        value: '42',
        style: 'primary',
      },
      { type: 'overflow', action_id: 'more', options: [opt('edit'), opt('delete')] },
      { type: 'checkboxes', action_id: 'checks', options: [opt('a'), opt('b')], initial_options: [opt('b')] },
    ],
  },
];

describe('view state values, as Slack reports them', () => {
  it('reports every stateful element from what the page shows', () => {
    const values = buildStateValues(modalBlocks, {
      text: { value: { value: 'Wrote the plan' } },
      date: { value: { value: '2026-11-12' } },
      axes: { value: { values: ['process', 'unknown'] } },
      shift: { value: { value: 'preventing' } },
      link: { value: { value: null } },
      auto_6: { checks: { values: [] } },
    });
    expect(values).toEqual({
      text: { value: { type: 'plain_text_input', value: 'Wrote the plan' } },
      date: { value: { type: 'datepicker', selected_date: '2026-11-12' } },
      axes: { value: { type: 'multi_static_select', selected_options: [opt('process')] } },
      shift: { value: { type: 'static_select', selected_option: opt('preventing') } },
      link: { value: { type: 'url_text_input', value: null } },
      auto_6: { checks: { type: 'checkboxes', selected_options: [] } },
    });
  });

  it('falls back to the initial values for elements the page did not report', () => {
    const values = buildStateValues(modalBlocks);
    expect(values.date).toEqual({ value: { type: 'datepicker', selected_date: '2026-11-19' } });
    expect(values.text).toEqual({ value: { type: 'plain_text_input', value: null } });
    expect(values.shift).toEqual({ value: { type: 'static_select', selected_option: null } });
    expect(values.auto_6).toEqual({ checks: { type: 'checkboxes', selected_options: [opt('b')] } });
  });
});

describe('block actions, as Slack builds them', () => {
  it('builds a button action from its definition, not from what the page says', () => {
    const found = findElement(modalBlocks, 'auto_6', 'go');
    expect(found).toBeDefined();
    expect(buildAction(found as NonNullable<typeof found>, { value: 'forged' })).toEqual({
      type: 'button',
      block_id: 'auto_6',
      action_id: 'go',
      text: { type: 'plain_text', text: 'Go' },
      value: '42',
      style: 'primary',
    });
  });

  it('builds selection actions with the option objects', () => {
    const more = findElement(modalBlocks, 'auto_6', 'more');
    expect(buildAction(more as NonNullable<typeof more>, { value: 'delete' })).toMatchObject({
      type: 'overflow',
      selected_option: opt('delete'),
    });
    const date = findElement(modalBlocks, 'date', 'value');
    expect(buildAction(date as NonNullable<typeof date>, { value: '2026-11-01' })).toMatchObject({
      type: 'datepicker',
      selected_date: '2026-11-01',
      initial_date: '2026-11-19',
    });
  });

  it('finds nothing for an element that is not there', () => {
    expect(findElement(modalBlocks, 'text', 'nope')).toBeUndefined();
    expect(findElement(undefined, 'text', 'value')).toBeUndefined();
  });
});

describe("what Slack shows of a command's ack", () => {
  it('shows a message body, a plain text body, and nothing for an empty ack', () => {
    expect(ackMessage({ status: 200, body: '{"text":"hi"}', json: { text: 'hi' } })).toMatchObject({
      text: 'hi',
    });
    expect(ackMessage({ status: 200, body: 'plain words' })).toEqual({ text: 'plain words' });
    expect(ackMessage({ status: 200, body: '' })).toBeUndefined();
    expect(ackMessage({ status: 200, body: '{}', json: {} })).toBeUndefined();
  });

  it("escapes people's text the way Slack sends it", () => {
    expect(asSlackSendsIt('R&D <team> > 3')).toBe('R&amp;D &lt;team&gt; &gt; 3');
  });

  it('orders message timestamps numerically', () => {
    expect(compareTs('1700000000.000200', '1700000000.000100')).toBeGreaterThan(0);
    expect(compareTs('999999999.999999', '1000000000.000000')).toBeLessThan(0);
    expect(compareTs('1700000000.000001', '1700000000.000001')).toBe(0);
  });
});
