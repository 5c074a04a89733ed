/**
 * Block Kit and mrkdwn → HTML for the local workspace page.
 *
 * A plain ES module with no dependencies: the browser loads it as served (no build step) and the
 * unit tests import it. Everything that reaches the HTML goes through `escapeHtml`; the only tags
 * are the ones written here. Interactive elements carry their Block Kit JSON in `data-el` so the
 * page can build Slack's `block_actions` / `view_submission` payloads from them.
 */

/**
 * @typedef {object} RenderContext
 * @property {(id: string) => string | undefined} [userName] display name for `<@U…>` and users_select
 * @property {(id: string) => string | undefined} [channelName] name for `<#C…>`
 * @property {(ref: {id?: string, url?: string}) => string | undefined} [fileUrl] a local URL for an
 *   uploaded file (`slack_file`); undefined when the page cannot show it
 * @property {string} [tz] IANA zone of the viewer, for `<!date^…>` (default: the runtime's)
 * @property {number} [now] ms clock, for "today"/"yesterday" and `{ago}`
 * @property {Record<string, string>} [errors] `response_action: errors`, by block_id
 * @property {Array<{id: string, name: string}>} [users] people for users_select
 */

const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** @param {unknown} value */
export function escapeHtml(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[/** @type {'&'} */ (c)]);
}

/** Slack escapes exactly these three in mrkdwn; one pass, so `&amp;lt;` stays `&lt;`. */
function decodeSlackEntities(/** @type {string} */ s) {
  return s.replace(/&(amp|lt|gt);/g, (_, name) => (name === 'amp' ? '&' : name === 'lt' ? '<' : '>'));
}

/**
 * Slack's shortcode table (`arrow_up` → ⬆️), served by the page server from `emoji-datasource` (the
 * emoji data Slack uses) and set once with {@link setEmojiTable} before the first render. Unknown
 * names stay as `:name:`, as in Slack.
 * @type {Record<string, string>}
 */
let EMOJI = {};

/** @param {Record<string, string>} table */
export function setEmojiTable(table) {
  EMOJI = table && typeof table === 'object' ? table : {};
}

function emojify(/** @type {string} */ html) {
  return html.replace(/:([a-z0-9_+-]+):/g, (m, name) =>
    Object.hasOwn(EMOJI, name) ? escapeHtml(EMOJI[name] ?? m) : m,
  );
}

const WORD = '\\p{L}\\p{N}';
/** `*bold*`, `_italic_`, `~strike~`: opened after a non-word character, closed before one. */
const FORMATS = [
  ['*', 'strong'],
  ['_', 'em'],
  ['~', 'del'],
].map(([mark, tag]) => {
  const m = mark === '*' ? '\\*' : mark;
  // No space (or zero-width space, Slack's way to neutralise a marker) just inside the markers.
  const re = new RegExp(
    `(^|[^${WORD}${m}])${m}(?![\\s\\u200b${m}])((?:(?!${m}).)*?[^\\s\\u200b${m}])${m}(?![${WORD}${m}])`,
    'gu',
  );
  return { re, tag };
});

function applyFormats(/** @type {string} */ html) {
  let out = html;
  for (const { re, tag } of FORMATS) {
    // Twice: adjacent spans share the character between them (`*a* *b*`).
    for (let i = 0; i < 2; i++) out = out.replace(re, (_, pre, inner) => `${pre}<${tag}>${inner}</${tag}>`);
  }
  return out;
}

const SAFE_URL = /^(https?:\/\/|mailto:)/i;

function link(/** @type {string} */ url, /** @type {string} */ labelHtml) {
  return `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${labelHtml}</a>`;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function ordinal(/** @type {number} */ n) {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

/** @returns {{year: number, month: number, day: number, weekday: string, hour: number, minute: number, second: number}} */
function zonedParts(/** @type {number} */ ms, /** @type {string | undefined} */ tz) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    weekday: 'long',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(ms);
  /** @param {string} type */
  const get = (type) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    year: Number(get('year')),
    month: Number(get('month')),
    day: Number(get('day')),
    weekday: get('weekday'),
    hour: Number(get('hour')),
    minute: Number(get('minute')),
    second: Number(get('second')),
  };
}

function dayNumber(/** @type {{year: number, month: number, day: number}} */ p) {
  return Math.round(Date.UTC(p.year, p.month - 1, p.day) / 86_400_000);
}

function ago(/** @type {number} */ seconds) {
  const future = seconds < 0;
  const s = Math.abs(seconds);
  const units = /** @type {const} */ ([
    ['year', 31_536_000],
    ['month', 2_592_000],
    ['week', 604_800],
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ]);
  for (const [name, size] of units) {
    const n = Math.floor(s / size);
    if (n >= 1) return future ? `in ${n} ${name}${n > 1 ? 's' : ''}` : `${n} ${name}${n > 1 ? 's' : ''} ago`;
  }
  return future ? 'in a few seconds' : 'a few seconds ago';
}

/**
 * Slack's `<!date^epoch^format|fallback>` tokens in the viewer's zone; null when a token is
 * unknown (Slack then shows the fallback).
 * @param {number} epochSec
 * @param {string} format
 * @param {RenderContext} [ctx]
 */
export function formatSlackDate(epochSec, format, ctx = {}) {
  const ms = epochSec * 1000;
  const p = zonedParts(ms, ctx.tz);
  const now = ctx.now ?? Date.now();
  const diffDays = dayNumber(p) - dayNumber(zonedParts(now, ctx.tz));
  const relative =
    diffDays === 0 ? 'today' : diffDays === -1 ? 'yesterday' : diffDays === 1 ? 'tomorrow' : null;
  const month = MONTHS[p.month - 1] ?? '';
  const h12 = p.hour % 12 === 0 ? 12 : p.hour % 12;
  const ampm = p.hour < 12 ? 'AM' : 'PM';
  const pad = (/** @type {number} */ n) => String(n).padStart(2, '0');
  /** @type {Record<string, string>} */
  const tokens = {
    date_num: `${p.year}-${pad(p.month)}-${pad(p.day)}`,
    date: `${month} ${ordinal(p.day)}, ${p.year}`,
    date_short: `${month.slice(0, 3)} ${p.day}, ${p.year}`,
    date_long: `${p.weekday}, ${month} ${ordinal(p.day)}, ${p.year}`,
    time: `${h12}:${pad(p.minute)} ${ampm}`,
    time_secs: `${h12}:${pad(p.minute)}:${pad(p.second)} ${ampm}`,
    ago: ago(Math.round((now - ms) / 1000)),
  };
  tokens.date_pretty = relative ?? tokens.date ?? '';
  tokens.date_short_pretty = relative ?? tokens.date_short ?? '';
  tokens.date_long_pretty = relative ?? tokens.date_long ?? '';
  let unknown = false;
  const text = format.replace(/\{(\w+)\}/g, (_, token) => {
    const value = tokens[token];
    if (value === undefined) unknown = true;
    return value ?? '';
  });
  return unknown ? null : text;
}

/**
 * One `<…>` control sequence: a link, a mention, a channel, `!here`, `!date`, a user group.
 * Anything else is shown literally.
 * @param {string} inner the raw text between `<` and `>`
 * @param {RenderContext} ctx
 */
function angle(inner, ctx) {
  const bar = inner.indexOf('|');
  const target = bar >= 0 ? inner.slice(0, bar) : inner;
  const label = bar >= 0 ? decodeSlackEntities(inner.slice(bar + 1)) : undefined;
  if (/^@[UWB][A-Z0-9]+$/.test(target)) {
    const id = target.slice(1);
    const name = label ?? ctx.userName?.(id) ?? id;
    return `<span class="mention" data-user="${escapeHtml(id)}">@${escapeHtml(name.replace(/^@/, ''))}</span>`;
  }
  if (/^#[CGD][A-Z0-9]+$/.test(target)) {
    const id = target.slice(1);
    const name = label ?? ctx.channelName?.(id) ?? id;
    return `<span class="mention">#${escapeHtml(name.replace(/^#/, ''))}</span>`;
  }
  if (target.startsWith('!')) {
    const special = target.slice(1);
    if (['here', 'channel', 'everyone'].includes(special)) {
      return `<span class="mention">@${escapeHtml(special)}</span>`;
    }
    if (special.startsWith('subteam^')) {
      return `<span class="mention">${escapeHtml(label ?? '@group')}</span>`;
    }
    if (special.startsWith('date^')) {
      const [, epoch = '', format = '', url] = special.split('^');
      const seconds = Number(epoch);
      const fallback = label ?? '';
      const text = /^\d+$/.test(epoch) ? formatSlackDate(seconds, format, ctx) : null;
      const shown = `<time datetime="${escapeHtml(
        /^\d+$/.test(epoch) ? new Date(seconds * 1000).toISOString() : '',
      )}" title="${escapeHtml(fallback)}">${escapeHtml(text ?? fallback)}</time>`;
      const href = url ? decodeSlackEntities(url) : '';
      return href && SAFE_URL.test(href) ? link(href, shown) : shown;
    }
    return escapeHtml(label ?? `<${decodeSlackEntities(inner)}>`);
  }
  const url = decodeSlackEntities(target);
  if (SAFE_URL.test(url)) return link(url, escapeHtml(label ?? url));
  // Not a scheme a page may follow (javascript:, data:…): the label as text, never a link.
  return escapeHtml(label ?? `<${decodeSlackEntities(inner)}>`);
}

/** Marks where set-aside HTML goes back: a private-use character, removed from the input first. */
const HOLD = '\uE000';
const HELD = /\uE000(\d+)\uE000/g;

/**
 * One line (or a span of text) of mrkdwn: code spans and `<…>` sequences are set aside first so
 * their contents are never formatted, the rest is decoded, escaped, then formatted.
 * @param {string} text
 * @param {RenderContext} ctx
 */
function inline(text, ctx) {
  /** @type {string[]} */
  const held = [];
  const hold = (/** @type {string} */ html) => `${HOLD}${held.push(html) - 1}${HOLD}`;
  let s = text.replace(/`([^`\n]+)`/g, (_, code) =>
    hold(`<code>${escapeHtml(decodeSlackEntities(code))}</code>`),
  );
  s = s.replace(/<([^<>\n]+)>/g, (_, inner) => hold(angle(inner, ctx)));
  s = applyFormats(emojify(escapeHtml(decodeSlackEntities(s))));
  return s.replace(HELD, (_, i) => held[Number(i)] ?? '');
}

const QUOTE = /^(?:>|&gt;)\s?/;
const BULLET = /^\s*[-•◦▪]\s+/;
const NUMBERED = /^\s*(\d{1,3})[.)]\s+/;

/**
 * Lines into paragraphs, quotes (`>`, and `>>>` for the rest of the text) and lists (`- `, `• `,
 * `1. `), each line formatted inline.
 * @param {string} text
 * @param {RenderContext} ctx
 */
function lines(text, ctx) {
  const all = text.split('\n');
  /** @type {string[]} */
  const out = [];
  /** @type {string[]} */
  let para = [];
  const flush = () => {
    if (para.length > 0) out.push(`<p>${para.join('<br>')}</p>`);
    para = [];
  };
  for (let i = 0; i < all.length; i++) {
    const line = all[i] ?? '';
    if (/^(?:>>>|&gt;&gt;&gt;)/.test(line)) {
      flush();
      const rest = [line.replace(/^(?:>>>|&gt;&gt;&gt;)\s?/, ''), ...all.slice(i + 1)].join('\n');
      out.push(`<blockquote>${lines(rest, ctx)}</blockquote>`);
      return out.join('');
    }
    if (QUOTE.test(line)) {
      flush();
      /** @type {string[]} */
      const quoted = [];
      while (i < all.length && QUOTE.test(all[i] ?? '')) quoted.push((all[i++] ?? '').replace(QUOTE, ''));
      i--;
      out.push(`<blockquote>${lines(quoted.join('\n'), ctx)}</blockquote>`);
      continue;
    }
    const numbered = NUMBERED.exec(line);
    if (BULLET.test(line) || numbered) {
      flush();
      const ordered = Boolean(numbered);
      const pattern = ordered ? NUMBERED : BULLET;
      /** @type {string[]} */
      const items = [];
      while (i < all.length && pattern.test(all[i] ?? '')) {
        items.push(`<li>${inline((all[i++] ?? '').replace(pattern, ''), ctx)}</li>`);
      }
      i--;
      const start = numbered && numbered[1] !== '1' ? ` start="${Number(numbered[1])}"` : '';
      out.push(ordered ? `<ol${start}>${items.join('')}</ol>` : `<ul>${items.join('')}</ul>`);
      continue;
    }
    para.push(inline(line, ctx));
  }
  flush();
  return out.join('');
}

/**
 * Slack mrkdwn → safe HTML: bold, italic, strike, code, code blocks, links, mentions, dates,
 * quotes, lists, emoji shortcodes. Text that is not markup is shown exactly, escaped.
 * @param {unknown} text
 * @param {RenderContext} [ctx]
 */
export function mrkdwnToHtml(text, ctx = {}) {
  const src = String(text ?? '').replaceAll(HOLD, '');
  const parts = src.split('```');
  // An unclosed fence is literal text.
  if (parts.length % 2 === 0) parts.splice(parts.length - 2, 2, `${parts.at(-2)}\`\`\`${parts.at(-1)}`);
  return parts
    .map((part, i) => {
      if (i % 2 === 1)
        return `<pre>${escapeHtml(decodeSlackEntities(part.replace(/^\n/, '').replace(/\n$/, '')))}</pre>`;
      let body = part;
      // The line breaks right after a closing fence and right before an opening one belong to the fence.
      if (i > 0) body = body.replace(/^\n/, '');
      if (i < parts.length - 1) body = body.replace(/\n$/, '');
      return body === '' ? '' : lines(body, ctx);
    })
    .join('');
}

/**
 * A composition text object: `plain_text` (escaped, emoji) or `mrkdwn`.
 * @param {unknown} obj
 * @param {RenderContext} [ctx]
 */
export function textToHtml(obj, ctx = {}) {
  if (typeof obj === 'string') return escapeHtml(obj);
  if (!obj || typeof obj !== 'object') return '';
  const t = /** @type {{type?: string, text?: unknown, emoji?: boolean}} */ (obj);
  if (t.type === 'mrkdwn') return mrkdwnToHtml(t.text, ctx);
  const plain = escapeHtml(t.text ?? '');
  return t.emoji === false ? plain : emojify(plain);
}

/** Plain text of a text object (for `<option>`, titles, aria labels). */
function plainOf(/** @type {unknown} */ obj) {
  if (typeof obj === 'string') return obj;
  if (!obj || typeof obj !== 'object') return '';
  return String(/** @type {{text?: unknown}} */ (obj).text ?? '');
}

/** Slack gives blocks without a block_id a generated one; ours is stable per position. */
export function autoBlockId(/** @type {number} */ index) {
  return `auto_${index}`;
}

/** @param {Record<string, unknown>} el */
function elAttrs(el, /** @type {string} */ blockId, extra = '') {
  return `class="js-el el el-${escapeHtml(el.type)}${extra}" data-type="${escapeHtml(el.type)}" data-block-id="${escapeHtml(
    blockId,
  )}" data-action-id="${escapeHtml(el.action_id ?? '')}" data-el="${escapeHtml(JSON.stringify(el))}"`;
}

/** @param {unknown} opts */
function optionsOf(opts) {
  return Array.isArray(opts) ? /** @type {Array<Record<string, unknown>>} */ (opts) : [];
}

/** @param {Record<string, unknown>} el */
function allOptions(el) {
  const direct = optionsOf(el.options);
  const grouped = optionsOf(el.option_groups).flatMap((g) => optionsOf(g.options));
  return [...direct, ...grouped];
}

function optionTags(
  /** @type {Array<Record<string, unknown>>} */ options,
  /** @type {Set<string>} */ selected,
) {
  return options
    .map((o) => {
      const value = String(o.value ?? '');
      return `<option value="${escapeHtml(value)}"${selected.has(value) ? ' selected' : ''}>${escapeHtml(
        plainOf(o.text),
      )}</option>`;
    })
    .join('');
}

/** @param {Record<string, unknown>} el */
function selectOptionsHtml(el, /** @type {Set<string>} */ selected) {
  const groups = optionsOf(el.option_groups);
  if (groups.length > 0) {
    return groups
      .map(
        (g) =>
          `<optgroup label="${escapeHtml(plainOf(g.label))}">${optionTags(optionsOf(g.options), selected)}</optgroup>`,
      )
      .join('');
  }
  return optionTags(optionsOf(el.options), selected);
}

function placeholderAttr(/** @type {unknown} */ p) {
  return p ? ` placeholder="${escapeHtml(plainOf(p))}"` : '';
}

/**
 * Slack's multi-select: the chosen options as removable pills, and a picker that adds one more
 * (instead of a native Ctrl-click list). The page's script keeps the pills and the picker in step.
 * @param {Record<string, unknown>} el
 * @param {string} blockId
 * @param {string} inInput
 * @param {Array<{value: string, label: string}>} options
 * @param {string[]} initial
 * @param {string} placeholder
 */
function pillPicker(el, blockId, inInput, options, initial, placeholder) {
  const chosen = new Set(initial);
  const pills = options
    .filter((o) => chosen.has(o.value))
    .map((o) => pillHtml(o.value, o.label))
    .join('');
  const choices = options
    .map(
      (o) =>
        `<option value="${escapeHtml(o.value)}"${chosen.has(o.value) ? ' hidden disabled' : ''}>${escapeHtml(o.label)}</option>`,
    )
    .join('');
  const label = escapeHtml(placeholder);
  return `<div ${elAttrs(el, blockId, `${inInput} el-pills`)} role="group" aria-label="${label}"><span class="pills">${pills}</span><select class="pill-add" aria-label="${label}"><option value="" selected>${label}</option>${choices}</select></div>`;
}

/** One chosen option of a multi-select; the page's script builds the same markup when adding. */
export function pillHtml(/** @type {string} */ value, /** @type {string} */ label) {
  return `<span class="pill" data-value="${escapeHtml(value)}"><span class="pill-label">${escapeHtml(label)}</span><button type="button" class="pill-remove" aria-label="Remove ${escapeHtml(label)}">×</button></span>`;
}

/** A visible stand-in for anything the page cannot show, so nothing silently vanishes. */
function unsupported(/** @type {string} */ what, /** @type {unknown} */ type) {
  return `<div class="unsupported">Unsupported ${escapeHtml(what)}: <code>${escapeHtml(
    typeof type === 'string' ? type : JSON.stringify(type),
  )}</code></div>`;
}

/**
 * An image from `image_url` or `slack_file`. Images from the internet are not fetched (the page
 * never leaves the machine): a placeholder names them.
 * @param {Record<string, unknown>} img
 * @param {RenderContext} ctx
 * @param {string} cls
 */
function imageHtml(img, ctx, cls) {
  const alt = String(img.alt_text ?? '');
  const file = /** @type {{id?: string, url?: string} | undefined} */ (img.slack_file);
  const src = file
    ? ctx.fileUrl?.(file)
    : typeof img.image_url === 'string'
      ? ctx.fileUrl?.({ url: img.image_url })
      : undefined;
  if (src) return `<img class="${cls}" src="${escapeHtml(src)}" alt="${escapeHtml(alt)}">`;
  const where = file ? `file ${file.id ?? file.url ?? ''}` : String(img.image_url ?? '');
  return `<span class="${cls} img-offline" title="${escapeHtml(where)}">Image: ${escapeHtml(
    alt || 'image',
  )} <small>(not loaded in local mode)</small></span>`;
}

/**
 * One block element (button, select, input…).
 * @param {Record<string, unknown>} el
 * @param {string} blockId
 * @param {RenderContext} ctx
 * @param {{input?: boolean}} [where] inside an `input` block
 */
export function renderElement(el, blockId, ctx = {}, where = {}) {
  if (!el || typeof el !== 'object') return unsupported('element', el);
  const inInput = where.input ? ' el-input' : '';
  switch (el.type) {
    case 'button': {
      const style = el.style === 'primary' || el.style === 'danger' ? ` el-button-${el.style}` : '';
      const text = textToHtml(el.text, ctx);
      if (typeof el.url === 'string' && SAFE_URL.test(el.url)) {
        return `<a ${elAttrs(el, blockId, style)} href="${escapeHtml(el.url)}" target="_blank" rel="noopener noreferrer">${text}</a>`;
      }
      return `<button type="button" ${elAttrs(el, blockId, style)}>${text}</button>`;
    }
    case 'multi_static_select':
      return pillPicker(
        el,
        blockId,
        inInput,
        allOptions(el).map((o) => ({ value: String(o.value ?? ''), label: plainOf(o.text) })),
        optionsOf(el.initial_options).map((o) => String(o.value ?? '')),
        plainOf(el.placeholder) || 'Select options',
      );
    case 'multi_users_select':
      return pillPicker(
        el,
        blockId,
        inInput,
        (ctx.users ?? []).map((u) => ({ value: u.id, label: u.name })),
        (Array.isArray(el.initial_users) ? el.initial_users : []).map(String),
        plainOf(el.placeholder) || 'Select people',
      );
    case 'static_select': {
      const selected = new Set(
        el.initial_option ? [String(/** @type {{value?: unknown}} */ (el.initial_option).value ?? '')] : [],
      );
      const label = escapeHtml(plainOf(el.placeholder) || 'Select');
      const empty = `<option value=""${selected.size === 0 ? ' selected' : ''}>${label}</option>`;
      return `<select ${elAttrs(el, blockId, inInput)} aria-label="${label}">${empty}${selectOptionsHtml(el, selected)}</select>`;
    }
    case 'users_select': {
      const selected = new Set([el.initial_user].filter(Boolean).map(String));
      const opts = (ctx.users ?? [])
        .map(
          (u) =>
            `<option value="${escapeHtml(u.id)}"${selected.has(u.id) ? ' selected' : ''}>${escapeHtml(u.name)}</option>`,
        )
        .join('');
      const label = escapeHtml(plainOf(el.placeholder) || 'Select a person');
      return `<select ${elAttrs(el, blockId, inInput)} aria-label="${label}"><option value="">${label}</option>${opts}</select>`;
    }
    case 'overflow': {
      const items = optionsOf(el.options)
        .map(
          (o) =>
            `<button type="button" class="overflow-option" data-value="${escapeHtml(o.value ?? '')}">${escapeHtml(
              plainOf(o.text),
            )}</button>`,
        )
        .join('');
      return `<details ${elAttrs(el, blockId)}><summary aria-label="More actions">⋯</summary><div class="overflow-menu">${items}</div></details>`;
    }
    case 'datepicker':
      return `<input type="date" ${elAttrs(el, blockId, inInput)} value="${escapeHtml(el.initial_date ?? '')}"${placeholderAttr(el.placeholder)}>`;
    case 'timepicker':
      return `<input type="time" ${elAttrs(el, blockId, inInput)} value="${escapeHtml(el.initial_time ?? '')}">`;
    case 'plain_text_input': {
      const max = typeof el.max_length === 'number' ? ` maxlength="${el.max_length}"` : '';
      if (el.multiline) {
        return `<textarea ${elAttrs(el, blockId, inInput)} rows="4"${max}${placeholderAttr(el.placeholder)}>${escapeHtml(
          el.initial_value ?? '',
        )}</textarea>`;
      }
      return `<input type="text" ${elAttrs(el, blockId, inInput)} value="${escapeHtml(el.initial_value ?? '')}"${max}${placeholderAttr(el.placeholder)}>`;
    }
    case 'url_text_input':
    case 'email_text_input':
    case 'number_input': {
      const type = el.type === 'url_text_input' ? 'url' : el.type === 'email_text_input' ? 'email' : 'number';
      return `<input type="${type}" ${elAttrs(el, blockId, inInput)} value="${escapeHtml(el.initial_value ?? '')}"${placeholderAttr(el.placeholder)}>`;
    }
    case 'checkboxes':
    case 'radio_buttons': {
      const multi = el.type === 'checkboxes';
      const initial = multi ? optionsOf(el.initial_options) : el.initial_option ? [el.initial_option] : [];
      const selected = new Set(initial.map((o) => String(/** @type {{value?: unknown}} */ (o).value ?? '')));
      const name = `${blockId}.${String(el.action_id ?? '')}`;
      const items = optionsOf(el.options)
        .map((o) => {
          const value = String(o.value ?? '');
          return `<label class="choice"><input type="${multi ? 'checkbox' : 'radio'}" name="${escapeHtml(name)}" value="${escapeHtml(
            value,
          )}"${selected.has(value) ? ' checked' : ''}> <span>${textToHtml(o.text, ctx)}</span></label>`;
        })
        .join('');
      return `<div ${elAttrs(el, blockId, inInput)} role="group">${items}</div>`;
    }
    case 'image':
      return imageHtml(el, ctx, 'el-image');
    default:
      return unsupported('element', el.type);
  }
}

/**
 * @param {Record<string, unknown>} block
 * @param {number} index
 * @param {RenderContext} ctx
 */
function renderBlock(block, index, ctx) {
  if (!block || typeof block !== 'object') return unsupported('block', block);
  const blockId = typeof block.block_id === 'string' ? block.block_id : autoBlockId(index);
  const attrs = `data-block-id="${escapeHtml(blockId)}"`;
  switch (block.type) {
    case 'header':
      return `<h3 class="b b-header" ${attrs}>${textToHtml(block.text, ctx)}</h3>`;
    case 'divider':
      return `<hr class="b b-divider" ${attrs}>`;
    case 'section': {
      const text = block.text ? `<div class="b-text">${textToHtml(block.text, ctx)}</div>` : '';
      const fields = Array.isArray(block.fields)
        ? `<div class="b-fields">${block.fields.map((f) => `<div class="b-field">${textToHtml(f, ctx)}</div>`).join('')}</div>`
        : '';
      const accessory = block.accessory
        ? `<div class="b-accessory">${renderElement(/** @type {Record<string, unknown>} */ (block.accessory), blockId, ctx)}</div>`
        : '';
      return `<div class="b b-section" ${attrs}><div class="b-main">${text}${fields}</div>${accessory}</div>`;
    }
    case 'context': {
      const elements = Array.isArray(block.elements) ? block.elements : [];
      const parts = elements.map((e) =>
        e && (e.type === 'mrkdwn' || e.type === 'plain_text')
          ? `<span class="ctx-text">${textToHtml(e, ctx)}</span>`
          : e && e.type === 'image'
            ? imageHtml(e, ctx, 'ctx-image')
            : unsupported('context element', e?.type),
      );
      return `<div class="b b-context" ${attrs}>${parts.join('')}</div>`;
    }
    case 'actions': {
      const elements = Array.isArray(block.elements) ? block.elements : [];
      return `<div class="b b-actions" ${attrs}>${elements.map((e) => renderElement(e, blockId, ctx)).join('')}</div>`;
    }
    case 'image': {
      const title = block.title ? `<div class="b-image-title">${textToHtml(block.title, ctx)}</div>` : '';
      return `<figure class="b b-image" ${attrs}>${title}${imageHtml(block, ctx, 'b-img')}</figure>`;
    }
    case 'input': {
      const el = /** @type {Record<string, unknown>} */ (block.element);
      const error = ctx.errors?.[blockId];
      const optional = block.optional ? ' <span class="optional">(optional)</span>' : '';
      const hint = block.hint ? `<div class="b-hint">${textToHtml(block.hint, ctx)}</div>` : '';
      const err = error ? `<div class="b-error" role="alert">${escapeHtml(error)}</div>` : '';
      const dispatch = block.dispatch_action ? ' data-dispatch="1"' : '';
      const required = block.optional ? '' : ' data-required="1"';
      return `<div class="b b-input${error ? ' has-error' : ''}" ${attrs}${dispatch}${required}><label class="b-label">${textToHtml(
        block.label,
        ctx,
      )}${optional}</label>${renderElement(el, blockId, ctx, { input: true })}${hint}${err}</div>`;
    }
    case 'rich_text':
      return `<div class="b b-rich" ${attrs}>${richText(block.elements, ctx)}</div>`;
    default:
      return `<div class="b" ${attrs}>${unsupported('block', block.type)}</div>`;
  }
}

/**
 * The parts of rich_text people's messages carry: sections, lists, quotes, preformatted.
 * @param {unknown} elements
 * @param {RenderContext} ctx
 * @returns {string}
 */
function richText(elements, ctx) {
  if (!Array.isArray(elements)) return '';
  return elements
    .map((e) => {
      if (!e || typeof e !== 'object') return '';
      switch (e.type) {
        case 'rich_text_section':
          return `<p>${richInline(e.elements, ctx)}</p>`;
        case 'rich_text_quote':
          return `<blockquote>${richInline(e.elements, ctx)}</blockquote>`;
        case 'rich_text_preformatted':
          return `<pre>${richInline(e.elements, ctx)}</pre>`;
        case 'rich_text_list': {
          const tag = e.style === 'ordered' ? 'ol' : 'ul';
          const items = Array.isArray(e.elements) ? e.elements : [];
          return `<${tag}>${items.map((i) => `<li>${richInline(i?.elements, ctx)}</li>`).join('')}</${tag}>`;
        }
        default:
          return unsupported('rich text element', e.type);
      }
    })
    .join('');
}

/**
 * @param {unknown} elements
 * @param {RenderContext} ctx
 */
function richInline(elements, ctx) {
  if (!Array.isArray(elements)) return '';
  return elements
    .map((e) => {
      if (!e || typeof e !== 'object') return '';
      let html = '';
      if (e.type === 'text') html = escapeHtml(e.text ?? '').replace(/\n/g, '<br>');
      else if (e.type === 'link') {
        const url = String(e.url ?? '');
        html = SAFE_URL.test(url) ? link(url, escapeHtml(e.text ?? url)) : escapeHtml(e.text ?? url);
      } else if (e.type === 'user')
        html = `<span class="mention">@${escapeHtml(ctx.userName?.(e.user_id) ?? e.user_id)}</span>`;
      else if (e.type === 'channel')
        html = `<span class="mention">#${escapeHtml(ctx.channelName?.(e.channel_id) ?? e.channel_id)}</span>`;
      else if (e.type === 'emoji') html = emojify(`:${escapeHtml(e.name ?? '')}:`);
      else return unsupported('rich text element', e.type);
      const s = e.style ?? {};
      if (s.code) html = `<code>${html}</code>`;
      if (s.bold) html = `<strong>${html}</strong>`;
      if (s.italic) html = `<em>${html}</em>`;
      if (s.strike) html = `<del>${html}</del>`;
      return html;
    })
    .join('');
}

/**
 * A list of blocks, as a message, a modal or the Home tab shows them.
 * @param {unknown} blocks
 * @param {RenderContext} [ctx]
 */
export function renderBlocks(blocks, ctx = {}) {
  if (!Array.isArray(blocks)) return '';
  return blocks.map((b, i) => renderBlock(b, i, ctx)).join('');
}
