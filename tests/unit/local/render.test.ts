import { beforeAll, describe, expect, it } from 'vitest';
import { emojiShortcodes } from '../../../src/local/emoji-shortcodes.ts';
import {
  escapeHtml,
  formatSlackDate,
  mrkdwnToHtml,
  type RenderContext,
  renderBlocks,
  setEmojiTable,
  textToHtml,
} from '../../../src/local/page/render.js';

// The page loads Slack's shortcode table (emoji-datasource) before its first render.
beforeAll(() => setEmojiTable({ ...emojiShortcodes() }));

const ctx: RenderContext = {
  userName: (id) => ({ U0DEMO1: 'Alex (demo)' })[id],
  channelName: (id) => ({ C0GENERAL: 'general' })[id],
  fileUrl: (ref) => (ref.id ? `/files/${ref.id}/image?user=U0DEMO1&inline=1` : undefined),
  tz: 'America/New_York',
  // Tuesday 2023-11-14 15:00 in New York.
  now: Date.parse('2023-11-14T20:00:00Z'),
  users: [{ id: 'U0DEMO1', name: 'Alex (demo)' }],
};

const md = (text: string) => mrkdwnToHtml(text, ctx);

/** Tags in the output, so a test can say "no tag but these". */
function tags(html: string): string[] {
  return [...html.matchAll(/<\/?([a-z0-9]+)/gi)].map((m) => (m[1] ?? '').toLowerCase());
}

describe('mrkdwn', () => {
  it('formats bold, italic, strike, code and code blocks', () => {
    expect(md('*bold* _italic_ ~strike~ `code`')).toBe(
      '<p><strong>bold</strong> <em>italic</em> <del>strike</del> <code>code</code></p>',
    );
    expect(md('before\n```\nconst x = 1 < 2;\n*not bold*\n```\nafter')).toBe(
      '<p>before</p><pre>const x = 1 &lt; 2;\n*not bold*</pre><p>after</p>',
    );
    expect(md('*bold with _italic_ inside*')).toBe(
      '<p><strong>bold with <em>italic</em> inside</strong></p>',
    );
  });

  it('leaves markers that are not formatting alone', () => {
    expect(md('snake_case_name and 2*3*4')).toBe('<p>snake_case_name and 2*3*4</p>');
    expect(md('* not bold *')).toBe('<p>* not bold *</p>');
    // Zero-width spaces are how Slack apps neutralise a marker in user text.
    expect(md('\u200b*\u200bquoted\u200b*\u200b')).not.toContain('<strong>');
    expect(md('an ``` unclosed fence')).toBe('<p>an ``` unclosed fence</p>');
    expect(md('`code with *stars* and <https://x.example|link>`')).toBe(
      '<p><code>code with *stars* and &lt;https://x.example|link&gt;</code></p>',
    );
  });

  it('renders links, mentions, channels and specials', () => {
    expect(md('<https://example.com/a_b_c?x=1&amp;y=2|the *docs*>')).toBe(
      '<p><a href="https://example.com/a_b_c?x=1&amp;y=2" target="_blank" rel="noopener noreferrer">the *docs*</a></p>',
    );
    expect(md('<mailto:a@example.com>')).toContain('href="mailto:a@example.com"');
    expect(md('thanks <@U0DEMO1> and <@U0NOBODY|sam>')).toBe(
      '<p>thanks <span class="mention" data-user="U0DEMO1">@Alex (demo)</span> and <span class="mention" data-user="U0NOBODY">@sam</span></p>',
    );
    expect(md('<#C0GENERAL> <!here> <!subteam^S1|@leads>')).toBe(
      '<p><span class="mention">#general</span> <span class="mention">@here</span> <span class="mention">@leads</span></p>',
    );
  });

  it('never makes a link of a scheme a page could run', () => {
    for (const url of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'data:text/html,<b>x</b>',
      'vbscript:x',
    ]) {
      const html = md(`<${url}|click me>`);
      expect(html).not.toContain('href');
      expect(html).toContain('click me');
    }
    expect(md('<javascript:alert(1)>')).toBe('<p>&lt;javascript:alert(1)&gt;</p>');
  });

  it('renders <!date^…> in the viewer zone, with the fallback for unknown tokens', () => {
    const epoch = Date.parse('2023-11-14T22:13:20Z') / 1000;
    expect(md(`<!date^${epoch}^{date_short_pretty} at {time}|Nov 14>`)).toContain('>today at 5:13 PM</time>');
    expect(md(`<!date^${epoch}^{date_num}|x>`)).toContain('>2023-11-14</time>');
    expect(md(`<!date^${epoch}^{date_long}|x>`)).toContain('>Tuesday, November 14th, 2023</time>');
    expect(md(`<!date^${epoch}^{nonsense}|fallback text>`)).toContain('>fallback text</time>');
    expect(md(`<!date^${epoch}^{date}^https://example.com/e|x>`)).toContain('href="https://example.com/e"');
    expect(md('<!date^notanumber^{date}|Nov 14>')).toContain('>Nov 14</time>');
    expect(formatSlackDate(epoch - 86_400, '{date_pretty}', ctx)).toBe('yesterday');
    expect(formatSlackDate(epoch + 86_400, '{date_short_pretty}', ctx)).toBe('tomorrow');
    expect(formatSlackDate(epoch - 7 * 86_400, '{date_short_pretty}', ctx)).toBe('Nov 7, 2023');
    expect(formatSlackDate(epoch, '{ago}', { ...ctx, now: (epoch + 180) * 1000 })).toBe('3 minutes ago');
  });

  it('renders quotes and lists', () => {
    expect(md('>quoted *line*\n>second\nafter')).toBe(
      '<blockquote><p>quoted <strong>line</strong><br>second</p></blockquote><p>after</p>',
    );
    expect(md('&gt; quoted as Slack escapes it')).toBe(
      '<blockquote><p>quoted as Slack escapes it</p></blockquote>',
    );
    expect(md('>>> all\nof this')).toBe('<blockquote><p>all<br>of this</p></blockquote>');
    expect(md('- one\n• two\n1. first\n2. second')).toBe(
      '<ul><li>one</li><li>two</li></ul><ol><li>first</li><li>second</li></ol>',
    );
    expect(md('3. third')).toBe('<ol start="3"><li>third</li></ol>');
  });

  it('shows entities as the characters they stand for, once, and escapes the rest', () => {
    expect(md('R&amp;D &lt;team&gt; &amp;lt; & 5 > 3')).toBe(
      '<p>R&amp;D &lt;team&gt; &amp;lt; &amp; 5 &gt; 3</p>',
    );
    expect(md('it\'s "quoted"')).toBe('<p>it&#39;s &quot;quoted&quot;</p>');
  });

  it("turns Slack's emoji shortcodes into emoji (the table from emoji-datasource) and leaves the rest", () => {
    expect(md(':arrow_up: :heavy_minus_sign: :ok_hand: :+1:')).toBe('<p>⬆️ ➖ 👌 👍</p>');
    expect(md(':white_check_mark: done at 10:30:00 :not_an_emoji:')).toBe(
      '<p>✅ done at 10:30:00 :not_an_emoji:</p>',
    );
    expect(textToHtml({ type: 'plain_text', text: ':tada:', emoji: false })).toBe(':tada:');
  });

  it('gives no way for text to inject HTML', () => {
    const hostile = [
      '<script>alert(1)</script>',
      '&lt;script&gt;alert(1)&lt;/script&gt;',
      '<img src=x onerror=alert(1)>',
      '<https://x.example|<img src=x onerror=alert(1)>>',
      '<https://x.example" onmouseover="alert(1)|x>',
      '*<script>*',
      '```</pre><script>alert(1)</script>```',
      '`</code><script>`',
      '<@U1|<script>>',
      '<!date^1^{date}|<script>>',
      '\uE0000\uE000<script>',
    ];
    for (const text of hostile) {
      const html = md(text);
      expect(
        tags(html).filter((t) => !['p', 'a', 'strong', 'pre', 'code', 'span', 'time', 'br'].includes(t)),
      ).toEqual([]);
      expect(html).not.toMatch(/<(script|img)/i);
      expect(html).not.toMatch(/ on[a-z]+="/i);
    }
  });
});

describe('blocks', () => {
  it('renders a header and a divider', () => {
    const html = renderBlocks([
      { type: 'header', text: { type: 'plain_text', text: 'Lead & <TPM>' } },
      { type: 'divider' },
    ]);
    expect(html).toContain('<h3 class="b b-header" data-block-id="auto_0">Lead &amp; &lt;TPM&gt;</h3>');
    expect(html).toContain('<hr class="b b-divider" data-block-id="auto_1">');
  });

  it('renders a section with text, fields and a button accessory', () => {
    const html = renderBlocks(
      [
        {
          type: 'section',
          block_id: 'card',
          text: { type: 'mrkdwn', text: '*Scope*' },
          fields: [
            { type: 'mrkdwn', text: '*Axis*\nPeople' },
            { type: 'plain_text', text: '*not bold*' },
          ],
          accessory: {
            type: 'button',
            action_id: 'show',
            text: { type: 'plain_text', text: 'Show' },
            value: 'tpm5',
            style: 'primary',
          },
        },
      ],
      ctx,
    );
    expect(html).toContain('data-block-id="card"');
    expect(html).toContain('<strong>Scope</strong>');
    expect(html).toContain('<div class="b-field"><p><strong>Axis</strong><br>People</p></div>');
    expect(html).toContain('<div class="b-field">*not bold*</div>');
    expect(html).toMatch(
      /<button type="button" class="js-el el el-button el-button-primary" data-type="button" data-block-id="card" data-action-id="show"/,
    );
    expect(html).toContain('>Show</button>');
  });

  it('renders context with text and images, and an image block from an uploaded file', () => {
    const html = renderBlocks(
      [
        {
          type: 'context',
          elements: [
            { type: 'mrkdwn', text: '_small_' },
            { type: 'image', image_url: 'https://cdn.example.com/x.png', alt_text: 'remote' },
          ],
        },
        {
          type: 'image',
          slack_file: { id: 'F0001' },
          alt_text: 'Radar chart',
          title: { type: 'plain_text', text: 'Your progress' },
        },
      ],
      ctx,
    );
    expect(html).toContain('<span class="ctx-text"><p><em>small</em></p></span>');
    // Images from the internet are never fetched by the page.
    expect(html).not.toContain('src="https://cdn.example.com');
    expect(html).toContain('not loaded in local mode');
    expect(html).toContain(
      '<img class="b-img" src="/files/F0001/image?user=U0DEMO1&amp;inline=1" alt="Radar chart">',
    );
    expect(html).toContain('Your progress');
  });

  it('renders actions: buttons, selects, overflow and a datepicker', () => {
    const opt = (v: string) => ({ text: { type: 'plain_text', text: v.toUpperCase() }, value: v });
    const html = renderBlocks(
      [
        {
          type: 'actions',
          block_id: 'acts',
          elements: [
            {
              type: 'button',
              action_id: 'b',
              text: { type: 'plain_text', text: 'Delete' },
              style: 'danger',
              value: '7',
            },
            {
              type: 'button',
              action_id: 'u',
              text: { type: 'plain_text', text: 'Open' },
              url: 'https://example.com',
            },
            {
              type: 'static_select',
              action_id: 's',
              placeholder: { type: 'plain_text', text: 'Pick' },
              options: [opt('a'), opt('b')],
              initial_option: opt('b'),
            },
            { type: 'overflow', action_id: 'o', options: [opt('edit'), opt('delete')] },
            { type: 'datepicker', action_id: 'd', initial_date: '2026-11-20' },
          ],
        },
      ],
      ctx,
    );
    expect(html).toContain('el-button-danger');
    expect(html).toMatch(
      /<a class="js-el el el-button"[^>]*href="https:\/\/example.com" target="_blank" rel="noopener noreferrer">Open<\/a>/,
    );
    expect(html).toContain('<option value="b" selected>B</option>');
    expect(html).toContain('<option value="">Pick</option>');
    expect(html).toContain(
      '<button type="button" class="overflow-option" data-value="delete">DELETE</button>',
    );
    expect(html).toContain('<input type="date"');
    expect(html).toContain('value="2026-11-20"');
  });

  it('renders input blocks with their elements, optional marks, hints and field errors', () => {
    const opt = (v: string) => ({ text: { type: 'plain_text', text: v }, value: v });
    const blocks = [
      {
        type: 'input',
        block_id: 'text',
        label: { type: 'plain_text', text: 'What did you do?' },
        hint: { type: 'plain_text', text: 'Up to 3,000 characters' },
        element: {
          type: 'plain_text_input',
          action_id: 'value',
          multiline: true,
          max_length: 3000,
          initial_value: '<b>hi</b>',
        },
      },
      {
        type: 'input',
        block_id: 'axes',
        optional: true,
        label: { type: 'plain_text', text: 'Axes' },
        element: {
          type: 'multi_static_select',
          action_id: 'value',
          options: [opt('people'), opt('process')],
          initial_options: [opt('people')],
        },
      },
      {
        type: 'input',
        block_id: 'link',
        optional: true,
        label: { type: 'plain_text', text: 'Link' },
        element: { type: 'url_text_input', action_id: 'value' },
      },
      {
        type: 'input',
        block_id: 'who',
        label: { type: 'plain_text', text: 'Who' },
        element: { type: 'users_select', action_id: 'value' },
      },
      {
        type: 'input',
        block_id: 'kind',
        label: { type: 'plain_text', text: 'Kind' },
        element: {
          type: 'radio_buttons',
          action_id: 'value',
          options: [opt('win'), opt('lesson')],
          initial_option: opt('win'),
        },
      },
    ];
    const html = renderBlocks(blocks, { ...ctx, errors: { link: 'Use a full https:// link' } });
    expect(html).toContain('<textarea class="js-el el el-plain_text_input el-input"');
    expect(html).toContain('maxlength="3000"');
    expect(html).toContain('>&lt;b&gt;hi&lt;/b&gt;</textarea>');
    expect(html).toContain('<span class="optional">(optional)</span>');
    expect(html).toContain('<div class="b-hint">Up to 3,000 characters</div>');
    // Slack's pill picker, not a native Ctrl-click list: the chosen option is a removable pill.
    expect(html).toMatch(/<div class="js-el el el-multi_static_select el-input el-pills"/);
    expect(html).not.toMatch(/<select[^>]* multiple/);
    expect(html).toContain('<span class="pill" data-value="people"><span class="pill-label">people</span>');
    expect(html).toContain('aria-label="Remove people"');
    expect(html).toContain('<option value="people" hidden disabled>people</option>');
    expect(html).toContain('<input type="url"');
    expect(html).toContain('<div class="b b-input has-error" data-block-id="link"');
    expect(html).toContain('<div class="b-error" role="alert">Use a full https:// link</div>');
    expect(html).toContain('<option value="U0DEMO1">Alex (demo)</option>');
    expect(html).toContain('type="radio" name="kind.value" value="win" checked');
    expect(html).toContain('data-required="1"');
  });

  it('shows a visible placeholder for blocks and elements it does not know', () => {
    const html = renderBlocks([
      { type: 'video', title: { type: 'plain_text', text: 'x' } },
      { type: 'actions', elements: [{ type: 'workflow_button', action_id: 'w' }] },
      { type: '<script>' },
    ]);
    expect(html).toContain('Unsupported block: <code>video</code>');
    expect(html).toContain('Unsupported element: <code>workflow_button</code>');
    expect(html).toContain('Unsupported block: <code>&lt;script&gt;</code>');
  });

  it('renders rich_text from people’s messages', () => {
    const html = renderBlocks(
      [
        {
          type: 'rich_text',
          elements: [
            {
              type: 'rich_text_section',
              elements: [
                { type: 'text', text: 'Shipped ', style: { bold: true } },
                { type: 'user', user_id: 'U0DEMO1' },
                { type: 'link', url: 'javascript:alert(1)', text: 'bad' },
              ],
            },
          ],
        },
      ],
      ctx,
    );
    expect(html).toContain('<strong>Shipped </strong><span class="mention">@Alex (demo)</span>bad');
    expect(html).not.toContain('href');
  });

  it('escapes every string that reaches an attribute', () => {
    const evil = '"><script>alert(1)</script><x a="';
    const html = renderBlocks([
      {
        type: 'actions',
        block_id: evil,
        elements: [
          { type: 'button', action_id: evil, text: { type: 'plain_text', text: evil }, value: evil },
          {
            type: 'static_select',
            action_id: 's',
            placeholder: { type: 'plain_text', text: evil },
            options: [{ text: { type: 'plain_text', text: evil }, value: evil }],
          },
        ],
      },
      { type: 'image', image_url: evil, alt_text: evil },
    ]);
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<x ');
    expect(
      tags(html).every((t) => ['div', 'button', 'select', 'option', 'figure', 'span', 'small'].includes(t)),
    ).toBe(true);
  });

  it('escapes the five HTML-special characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
    expect(escapeHtml(undefined)).toBe('');
  });

  it('renders nothing for something that is not a block list', () => {
    expect(renderBlocks(undefined)).toBe('');
    expect(renderBlocks([null, 'x'])).toContain('Unsupported block');
  });
});

describe('text objects', () => {
  it('renders plain_text escaped and mrkdwn formatted', () => {
    expect(textToHtml({ type: 'plain_text', text: '*<b>*' })).toBe('*&lt;b&gt;*');
    expect(textToHtml({ type: 'mrkdwn', text: '*b*' })).toBe('<p><strong>b</strong></p>');
    expect(textToHtml(undefined)).toBe('');
  });
});
