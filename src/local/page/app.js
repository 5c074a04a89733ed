/**
 * The local workspace page. It renders what the local Slack API holds for the signed-in demo
 * person (GET /state, refreshed on every Server-Sent Event) and sends what they do to the page
 * server (POST /act/…), which turns it into correctly signed requests to the app.
 */
import { escapeHtml, mrkdwnToHtml, pillHtml, renderBlocks, setEmojiTable, textToHtml } from './render.js';

const STATEFUL = new Set([
  'plain_text_input',
  'url_text_input',
  'email_text_input',
  'number_input',
  'datepicker',
  'timepicker',
  'static_select',
  'multi_static_select',
  'radio_buttons',
  'checkboxes',
  'users_select',
  'multi_users_select',
]);

const ui = {
  team: localStorage.getItem('ladder.team') ?? '',
  user: localStorage.getItem('ladder.user') ?? '',
  /** The workspace being added in another tab: the page switches to it once Ladder is installed. */
  adding: '',
  /** @type {{kind: 'channel', id: string} | {kind: 'app', tab: 'home' | 'messages'}} */
  pane: { kind: 'channel', id: '' },
  /** @type {{channel: string, ts: string} | null} */
  thread: null,
  dismissed: new Set(),
  /** @type {any} */
  state: null,
  /** region → the HTML last written, so unchanged regions keep their DOM (focus, typing). */
  rendered: new Map(),
  seq: 0,
  pendingSubmit: '',
};

const $ = (/** @type {string} */ sel) => /** @type {HTMLElement} */ (document.querySelector(sel));

// ---------------------------------------------------------------------------------------------
// Talking to the page server

async function act(/** @type {string} */ name, /** @type {Record<string, unknown>} */ body) {
  try {
    const res = await fetch(`/act/${name}?team=${encodeURIComponent(ui.team)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: ui.user, ...body }),
    });
    const json = await res.json();
    if (!json.ok) toast(json.error ?? 'Something went wrong.', true);
    else if (json.message) toast(json.message);
    return json;
  } catch {
    toast('The local workspace is not answering. Is it still running?', true);
    return { ok: false };
  }
}

let refreshTimer = 0;
function scheduleRefresh() {
  clearTimeout(refreshTimer);
  refreshTimer = window.setTimeout(refresh, 30);
}

async function refresh() {
  const seq = ++ui.seq;
  const query = `team=${encodeURIComponent(ui.team)}&user=${encodeURIComponent(ui.user)}`;
  const res = await fetch(`/state?${query}`);
  if (!res.ok || seq !== ui.seq) return;
  const state = await res.json();
  if (seq !== ui.seq) return;
  const added = state.workspaces.find((/** @type {any} */ w) => w.id === ui.adding);
  if (added) {
    // Ladder is now installed in the workspace just added: switch to it.
    ui.adding = '';
    toast(`Ladder is installed in ${added.name}.`);
    await switchTeam(added.id);
    return;
  }
  ui.state = state;
  if (ui.team !== state.team.id) ui.team = state.team.id;
  if (ui.user !== state.me.id) ui.user = state.me.id;
  if (ui.pane.kind === 'channel' && !state.channels.some((/** @type {any} */ c) => c.id === ui.pane.id)) {
    ui.pane = { kind: 'channel', id: state.channels[0]?.id ?? '' };
  }
  render();
}

let toastTimer = 0;
function toast(/** @type {string} */ text, error = false) {
  const el = $('#toast');
  el.textContent = text;
  el.className = `toast show${error ? ' error' : ''}`;
  clearTimeout(toastTimer);
  toastTimer = window.setTimeout(() => {
    el.className = 'toast';
  }, 4000);
}

// ---------------------------------------------------------------------------------------------
// Rendering

function renderCtx(extra = {}) {
  const s = ui.state;
  return {
    userName: (/** @type {string} */ id) => s.users.find((/** @type {any} */ u) => u.id === id)?.name,
    channelName: (/** @type {string} */ id) => s.channels.find((/** @type {any} */ c) => c.id === id)?.name,
    fileUrl: fileUrlFor,
    tz: s.me.tz,
    now: Date.now(),
    users: s.users.filter((/** @type {any} */ u) => !u.bot),
    ...extra,
  };
}

/** Images that are uploaded files (`slack_file`, or a URL of the local API) come from the page server. */
function fileUrlFor(/** @type {{id?: string, url?: string}} */ ref) {
  let id = ref.id;
  if (!id && ref.url && ref.url.startsWith(`${ui.state.apiOrigin}/`)) {
    id = /\/files-pri\/[^/-]+-([A-Z0-9]+)\//.exec(ref.url)?.[1];
  }
  if (!id) return undefined;
  return `/files/${encodeURIComponent(id)}/image?user=${encodeURIComponent(ui.state.me.id)}&inline=1`;
}

function setRegion(/** @type {string} */ key, /** @type {HTMLElement} */ el, /** @type {string} */ html) {
  if (ui.rendered.get(key) === html) return false;
  ui.rendered.set(key, html);
  el.innerHTML = html;
  return true;
}

function timeOf(/** @type {string} */ ts) {
  const ms = Number(ts.split('.')[0]) * 1000;
  return new Intl.DateTimeFormat('en-US', {
    timeZone: ui.state.me.tz,
    hour: 'numeric',
    minute: '2-digit',
  }).format(ms);
}

function sizeOf(/** @type {number} */ bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function filesHtml(/** @type {any[] | undefined} */ files) {
  if (!files || files.length === 0) return '';
  const items = files.map((f) => {
    if (f.deleted) return '<div class="file deleted">This file was deleted.</div>';
    const name = escapeHtml(f.title || f.name);
    if (f.image) {
      return `<figure class="file-image"><img src="${escapeHtml(`${f.url}&inline=1`)}" alt="${name}"><figcaption><a href="${escapeHtml(
        f.url,
      )}" download="${escapeHtml(f.name)}">${name}</a> <small>${sizeOf(f.size)}</small></figcaption></figure>`;
    }
    return `<a class="file" href="${escapeHtml(f.url)}" download="${escapeHtml(f.name)}"><span>${name}</span> <small>${escapeHtml(
      f.mimetype,
    )} · ${sizeOf(f.size)}</small> <strong>Download</strong></a>`;
  });
  return `<div class="files">${items.join('')}</div>`;
}

/**
 * @param {any} item
 * @param {any} conv
 * @param {{inThread?: boolean}} opts
 */
function itemHtml(item, conv, opts = {}) {
  if (ui.dismissed.has(`${conv.id}:${item.ts}`)) return '';
  const ctx = renderCtx();
  const isMessage = item.kind === 'message';
  const author = isMessage ? item.author : item.kind === 'notice' ? 'Slackbot' : 'Ladder';
  const bot = !isMessage || item.bot;
  const avatarClass = item.kind === 'notice' ? 'avatar slackbot' : bot ? 'avatar bot' : 'avatar';
  const content = item.tombstone
    ? '<p class="muted">This message was deleted.</p>'
    : Array.isArray(item.blocks) && item.blocks.length > 0
      ? renderBlocks(item.blocks, ctx)
      : mrkdwnToHtml(item.text, ctx);
  const only =
    item.kind === 'message'
      ? ''
      : `<div class="only-you"><span>Only visible to you</span><button type="button" class="link-button js-dismiss">Dismiss</button></div>`;
  const echo = item.command ? `<div class="cmd-echo">${escapeHtml(item.command)}</div>` : '';
  const edited = item.edited ? ' <span class="edited">(edited)</span>' : '';
  const replies =
    isMessage && !opts.inThread && item.replyCount > 0
      ? `<div class="replies-link"><button type="button" class="link-button js-open-thread">${item.replyCount} ${
          item.replyCount === 1 ? 'reply' : 'replies'
        }</button></div>`
      : '';
  const reactions = (item.reactions ?? [])
    .map(
      (/** @type {any} */ r) =>
        `<span class="chip reaction" title=":${escapeHtml(r.name)}:">${textToHtml({ type: 'plain_text', text: `:${r.name}:` })} ${r.count}</span>`,
    )
    .join(' ');
  const actions =
    isMessage && !item.tombstone
      ? `<div class="msg-actions">${
          opts.inThread
            ? ''
            : '<button type="button" class="js-open-thread" aria-label="Reply in thread">Reply</button>'
        }${ui.state.app.shortcuts.length > 0 ? '<button type="button" class="js-more" aria-label="More actions">⋯</button>' : ''}</div>`
      : '';
  return `<div class="msg ${item.kind === 'message' ? '' : item.kind}" data-channel="${escapeHtml(conv.id)}" data-ts="${escapeHtml(
    item.ts,
  )}" data-kind="${item.kind}">
    <div class="${avatarClass}" aria-hidden="true">${escapeHtml(author.slice(0, 1))}</div>
    <div class="msg-body">
      <div class="msg-meta"><span class="author">${escapeHtml(author)}</span>${bot ? '<span class="app-badge">APP</span>' : ''}<time>${timeOf(
        item.ts,
      )}</time>${edited}</div>
      ${only}${echo}
      <div class="msg-content">${content}</div>
      ${filesHtml(item.files)}${reactions ? `<div>${reactions}</div>` : ''}${replies}
    </div>${actions}
  </div>`;
}

function conversationHtml(/** @type {any} */ conv) {
  if (!conv) return '<div class="empty">Nothing here yet.</div>';
  const items = conv.items.map((/** @type {any} */ i) => itemHtml(i, conv)).join('');
  return (
    items ||
    `<div class="empty">No messages yet. Type <code>${escapeHtml(ui.state.app.command)} help</code> below.</div>`
  );
}

function currentConversation() {
  const s = ui.state;
  if (ui.pane.kind === 'channel') return s.channels.find((/** @type {any} */ c) => c.id === ui.pane.id);
  return ui.pane.tab === 'messages' ? s.dm : null;
}

function renderWorkspaces() {
  const s = ui.state;
  const picker = /** @type {HTMLSelectElement} */ ($('#workspace-switch'));
  setRegion(
    'workspaces',
    picker,
    s.workspaces
      .map(
        (/** @type {any} */ w) =>
          `<option value="${escapeHtml(w.id)}"${w.id === s.team.id ? ' selected' : ''}>${escapeHtml(w.name)}${
            w.org ? ' (org-wide install)' : ''
          }</option>`,
      )
      .join(''),
  );
  picker.value = s.team.id;
  $('#workspace-name').textContent = s.team.name;
}

/** Acts in another workspace, as its first person unless the page remembers one there. */
async function switchTeam(/** @type {string} */ teamId) {
  ui.team = teamId;
  ui.user = '';
  localStorage.setItem('ladder.team', ui.team);
  ui.pane = { kind: 'channel', id: '' };
  ui.thread = null;
  ui.dismissed.clear();
  ui.rendered.clear();
  await refresh();
}

function renderSidebar() {
  const s = ui.state;
  renderWorkspaces();
  const switcher = /** @type {HTMLSelectElement} */ ($('#user-switch'));
  setRegion(
    'users',
    switcher,
    s.demoUsers
      .map(
        (/** @type {any} */ u) =>
          `<option value="${escapeHtml(u.id)}"${u.id === s.me.id ? ' selected' : ''}>${escapeHtml(u.realName)}</option>`,
      )
      .join(''),
  );
  switcher.value = s.me.id;
  const channelItems = s.channels
    .map(
      (/** @type {any} */ c) =>
        `<button type="button" class="nav-item js-nav${ui.pane.kind === 'channel' && ui.pane.id === c.id ? ' active' : ''}" data-channel="${escapeHtml(
          c.id,
        )}"># ${escapeHtml(c.name)}</button>`,
    )
    .join('');
  const appActive = ui.pane.kind === 'app' ? ' active' : '';
  setRegion(
    'nav',
    $('#nav'),
    `<div class="nav-section"><div class="nav-title">Channels</div>${channelItems}</div>
     <div class="nav-section"><div class="nav-title">Apps</div><button type="button" class="nav-item js-nav-app${appActive}"><span class="app-icon" aria-hidden="true">L</span>Ladder</button></div>`,
  );
  renderClock();
}

function renderClock() {
  const c = ui.state.clock;
  const note = !c.available
    ? 'Weekly nudges are not in this build yet: the clock arrives with them.'
    : c.canJump
      ? 'Runs the same code path as <code>nudges run --at</code>.'
      : 'Pick an instant: runs the same code path as <code>nudges run --at</code>.';
  const when = c.local
    ? `Last run at <strong>${escapeHtml(c.local)}</strong> (${escapeHtml(ui.state.me.tz)})`
    : 'Real time';
  const lines = c.lines.length > 0 ? `<pre>${escapeHtml(c.lines.join('\n'))}</pre>` : '';
  setRegion(
    'clock',
    $('#clock'),
    `<h2>Clock <span class="badge">local only</span></h2>
     <div>${when}</div>
     <button type="button" class="js-clock-next"${c.canJump ? '' : ' disabled'}>Jump to the next nudge</button>
     <form class="js-clock-at"><input type="datetime-local" name="at" aria-label="Run nudges at (your time)"${c.available ? '' : ' disabled'}><button type="submit"${
       c.available ? '' : ' disabled'
     }>Run nudges</button></form>
     <p class="note">${note}</p>${lines}`,
  );
}

function renderHeader() {
  const s = ui.state;
  let html;
  if (ui.pane.kind === 'channel') {
    const conv = currentConversation();
    html = `<h1># ${escapeHtml(conv?.name ?? '')}<span class="sub">The Ladder app is not a member: its replies are only visible to you.</span></h1>`;
  } else {
    const tab = (/** @type {string} */ id, /** @type {string} */ label) =>
      `<button type="button" class="tab js-tab${ui.pane.kind === 'app' && ui.pane.tab === id ? ' active' : ''}" data-tab="${id}">${label}</button>`;
    html = `<h1><span class="app-icon" aria-hidden="true">L</span>Ladder <span class="app-badge">APP</span></h1><div class="tabs" role="tablist">${tab('home', 'Home')}${tab(
      'messages',
      'Messages',
    )}</div>`;
  }
  setRegion(`header:${s.me.id}`, $('#pane-header'), html);
}

function renderPane() {
  const pane = $('#pane');
  const nearBottom = pane.scrollHeight - pane.scrollTop - pane.clientHeight < 80;
  let html;
  if (ui.pane.kind === 'app' && ui.pane.tab === 'home') {
    const home = ui.state.home;
    html = home
      ? `<div class="home" data-view-id="${escapeHtml(home.id)}">${renderBlocks(home.view.blocks, renderCtx())}</div>`
      : '<div class="empty">Opening the Home tab…</div>';
  } else {
    html = conversationHtml(currentConversation());
  }
  if (setRegion('pane', pane, html) && nearBottom && !(ui.pane.kind === 'app' && ui.pane.tab === 'home')) {
    pane.scrollTop = pane.scrollHeight;
  }
}

function renderComposer() {
  const s = ui.state;
  const composer = /** @type {HTMLFormElement} */ ($('#composer'));
  const conv = currentConversation();
  composer.hidden = !conv;
  const input = /** @type {HTMLTextAreaElement} */ ($('#composer-input'));
  input.placeholder = conv
    ? conv.im
      ? `Message Ladder, or type ${s.app.command} …`
      : `Message #${conv.name}, or type ${s.app.command} …`
    : '';
  const chips = s.app.hint
    .map(
      (/** @type {any} */ h) =>
        `<button type="button" class="chip js-hint" data-usage="${escapeHtml(h.usage)}" title="${escapeHtml(
          h.description.replace(/`/g, ''),
        )}">${escapeHtml(`${s.app.command} ${h.usage}`.trim())}</button>`,
    )
    .join('');
  setRegion('hint', $('#hint'), `<span>Try:</span>${chips}`);
}

function renderThread() {
  const el = $('#thread');
  const conv = ui.thread
    ? [ui.state.dm, ...ui.state.channels].find((c) => c && c.id === ui.thread?.channel)
    : null;
  const parent = conv?.items.find((/** @type {any} */ i) => i.ts === ui.thread?.ts);
  if (!conv || !parent) {
    el.hidden = true;
    ui.rendered.delete('thread');
    el.innerHTML = '';
    return;
  }
  el.hidden = false;
  const replies = conv.threads[parent.ts] ?? [];
  const body = `${itemHtml(parent, conv, { inThread: true })}<div class="thread-sep">${replies.length} ${
    replies.length === 1 ? 'reply' : 'replies'
  }</div>${replies.map((/** @type {any} */ r) => itemHtml(r, conv, { inThread: true })).join('')}`;
  const key = `thread:${conv.id}:${parent.ts}`;
  if (ui.rendered.get('thread-key') !== key) {
    ui.rendered.set('thread-key', key);
    ui.rendered.delete('thread');
    el.innerHTML = `<div class="thread-header"><h2>Thread <span class="sub muted">${
      conv.im ? 'Ladder' : `#${escapeHtml(conv.name)}`
    }</span></h2><button type="button" class="icon-button js-close-thread" aria-label="Close thread">×</button></div>
      <div class="thread-body"></div>
      <form class="js-thread-form"><div class="composer-row"><textarea rows="1" name="reply" aria-label="Reply in thread" placeholder="Reply…"></textarea><button type="submit" class="send">Send</button></div></form>`;
  }
  const bodyEl = /** @type {HTMLElement} */ (el.querySelector('.thread-body'));
  if (setRegion('thread', bodyEl, body)) bodyEl.scrollTop = bodyEl.scrollHeight;
}

/** What the person has typed or picked in a surface: blockId → actionId → value(s). */
function readState(/** @type {Element} */ root) {
  /** @type {Record<string, Record<string, {value?: string | null, values?: string[]}>>} */
  const state = {};
  for (const el of root.querySelectorAll('.js-el')) {
    const h = /** @type {HTMLElement} */ (el);
    const type = h.dataset.type ?? '';
    if (!STATEFUL.has(type)) continue;
    const blockId = h.dataset.blockId ?? '';
    const actionId = h.dataset.actionId ?? '';
    state[blockId] ??= {};
    state[blockId][actionId] = readValue(h);
  }
  return state;
}

function readValue(/** @type {HTMLElement} */ el) {
  if (el.classList.contains('el-pills')) {
    return {
      values: [...el.querySelectorAll('.pill')].map(
        (p) => /** @type {HTMLElement} */ (p).dataset.value ?? '',
      ),
    };
  }
  if (el instanceof HTMLSelectElement) {
    if (el.multiple) return { values: [...el.selectedOptions].map((o) => o.value) };
    return { value: el.value === '' ? null : el.value };
  }
  if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
    return { value: el.value === '' ? null : el.value };
  }
  const checked = [...el.querySelectorAll('input:checked')].map(
    (i) => /** @type {HTMLInputElement} */ (i).value,
  );
  return el.dataset.type === 'checkboxes' ? { values: checked } : { value: checked[0] ?? null };
}

function writeValue(
  /** @type {HTMLElement} */ el,
  /** @type {{value?: string | null, values?: string[]}} */ v,
) {
  if (el.classList.contains('el-pills')) {
    const wanted = new Set(v.values ?? []);
    const pills = /** @type {HTMLElement} */ (el.querySelector('.pills'));
    const picker = /** @type {HTMLSelectElement} */ (el.querySelector('.pill-add'));
    pills.innerHTML = '';
    for (const o of picker.options) {
      if (o.value === '') continue;
      const chosen = wanted.has(o.value);
      o.hidden = chosen;
      o.disabled = chosen;
      if (chosen) pills.insertAdjacentHTML('beforeend', pillHtml(o.value, o.textContent ?? o.value));
    }
    return;
  }
  if (el instanceof HTMLSelectElement) {
    const wanted = new Set(el.multiple ? (v.values ?? []) : [v.value ?? '']);
    for (const o of el.options) o.selected = wanted.has(o.value);
    return;
  }
  if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
    el.value = v.value ?? '';
    return;
  }
  const wanted = new Set(v.values ?? (v.value ? [v.value] : []));
  /** @type {HTMLInputElement} */ for (const i of el.querySelectorAll('input'))
    i.checked = wanted.has(i.value);
}

/**
 * Slack's client checks inputs before it submits: a required field left empty, or a URL, email
 * or number that does not parse, is marked on the field and nothing is sent.
 */
function checkInputs(/** @type {HTMLElement} */ modal) {
  let ok = true;
  for (const old of modal.querySelectorAll('.b-error.js-client')) old.remove();
  for (const block of modal.querySelectorAll('.b-input')) {
    const b = /** @type {HTMLElement} */ (block);
    const el = /** @type {HTMLElement | null} */ (b.querySelector('.js-el'));
    if (!el || !STATEFUL.has(el.dataset.type ?? '')) continue;
    const v = readValue(el);
    const empty = v.values ? v.values.length === 0 : v.value === null || v.value.trim() === '';
    let message = '';
    if (b.dataset.required && empty) message = 'Please complete this required field.';
    else if ((el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) && !el.checkValidity()) {
      message = el.type === 'url' ? 'Please enter a valid URL.' : el.validationMessage;
    }
    if (message) {
      ok = false;
      b.insertAdjacentHTML(
        'beforeend',
        `<div class="b-error js-client" role="alert">${escapeHtml(message)}</div>`,
      );
    }
  }
  return ok;
}

function renderModals() {
  const root = $('#modals');
  const modals = ui.state.modals;
  const top = modals.at(-1);
  const key = JSON.stringify(modals.map((/** @type {any} */ m) => [m.id, m.hash, m.errors ?? null]));
  if (ui.rendered.get('modals') === key) return;
  ui.rendered.set('modals', key);
  // What the person typed survives an update of the same view (Slack keeps input values whose
  // block_id and action_id stay the same).
  const open = root.querySelector('.modal');
  const kept =
    open && top && /** @type {HTMLElement} */ (open).dataset.viewId === top.id ? readState(open) : null;
  if (!top) {
    root.innerHTML = '';
    return;
  }
  const v = top.view;
  const title = textToHtml(v.title);
  const close = v.close ? textToHtml(v.close) : 'Cancel';
  const submit = v.submit
    ? `<button type="button" class="modal-submit js-modal-submit">${textToHtml(v.submit)}</button>`
    : '';
  const back =
    modals.length > 1
      ? '<button type="button" class="icon-button js-modal-close" aria-label="Back">←</button>'
      : '';
  root.innerHTML = `<div class="backdrop"><div class="modal" role="dialog" aria-modal="true" aria-label="${escapeHtml(
    v.title?.text ?? 'Modal',
  )}" data-view-id="${escapeHtml(top.id)}">
    <header>${back}<h2>${title}</h2><button type="button" class="icon-button js-modal-close" aria-label="Close">×</button></header>
    <div class="modal-body">${renderBlocks(v.blocks, renderCtx({ errors: top.errors ?? {} }))}</div>
    <footer><span class="modal-error" role="alert"></span>${modals.length > 1 ? `<span class="stack-note">${modals.length} of ${modals.length}</span>` : ''}<button type="button" class="modal-cancel js-modal-close">${close}</button>${submit}</footer>
  </div></div>`;
  const modal = /** @type {HTMLElement} */ (root.querySelector('.modal'));
  if (kept) {
    for (const el of modal.querySelectorAll('.js-el')) {
      const h = /** @type {HTMLElement} */ (el);
      const v2 = kept[h.dataset.blockId ?? '']?.[h.dataset.actionId ?? ''];
      if (v2) writeValue(h, v2);
    }
  } else {
    /** @type {HTMLElement | null} */ (modal.querySelector('input, textarea, select'))?.focus();
  }
}

function render() {
  if (!ui.state) return;
  renderSidebar();
  renderHeader();
  renderPane();
  renderComposer();
  renderThread();
  renderModals();
}

// ---------------------------------------------------------------------------------------------
// What the person does

function openPane(/** @type {typeof ui.pane} */ pane) {
  ui.pane = pane;
  ui.thread = null;
  ui.rendered.delete('pane');
  if (pane.kind === 'app') act('homeOpened', { tab: pane.tab });
  render();
  /** @type {HTMLElement} */ ($('#pane')).scrollTop = pane.kind === 'app' && pane.tab === 'home' ? 0 : 1e9;
}

async function send(
  /** @type {string} */ text,
  /** @type {string} */ channel,
  /** @type {string | undefined} */ threadTs,
) {
  if (text.trim() === '') return;
  if (!threadTs && text.trim().startsWith('/')) await act('command', { channel, text });
  else await act('post', { channel, text, ...(threadTs ? { threadTs } : {}) });
}

/** Slack's confirm dialog, when an element has `confirm`. */
function confirmFirst(/** @type {any} */ el) {
  if (!el.confirm) return Promise.resolve(true);
  const c = el.confirm;
  return new Promise((resolve) => {
    const root = $('#dialog');
    root.innerHTML = `<div class="backdrop"><div class="modal" role="alertdialog" aria-modal="true" aria-label="${escapeHtml(
      c.title?.text ?? 'Are you sure?',
    )}"><header><h2>${textToHtml(c.title ?? 'Are you sure?')}</h2></header><div class="modal-body">${textToHtml(c.text)}</div>
      <footer><button type="button" class="js-deny">${textToHtml(c.deny ?? 'Cancel')}</button><button type="button" class="modal-submit js-confirm">${textToHtml(
        c.confirm ?? 'Yes',
      )}</button></footer></div></div>`;
    const done = (/** @type {boolean} */ ok) => {
      root.innerHTML = '';
      resolve(ok);
    };
    root.querySelector('.js-deny')?.addEventListener('click', () => done(false));
    root.querySelector('.js-confirm')?.addEventListener('click', () => done(true));
  });
}

/** A person used an interactive element: Slack sends block_actions with what they picked. */
async function elementUsed(
  /** @type {HTMLElement} */ el,
  /** @type {{value?: string | null, values?: string[]}} */ picked,
) {
  const def = JSON.parse(el.dataset.el ?? '{}');
  if (!(await confirmFirst(def))) return;
  const base = { blockId: el.dataset.blockId, actionId: el.dataset.actionId, ...picked };
  const viewRoot = /** @type {HTMLElement | null} */ (el.closest('[data-view-id]'));
  if (viewRoot) {
    await act('blockAction', {
      surface: 'view',
      viewId: viewRoot.dataset.viewId,
      state: readState(viewRoot),
      ...base,
    });
    return;
  }
  const msg = /** @type {HTMLElement | null} */ (el.closest('.msg'));
  if (!msg) return;
  await act('blockAction', {
    surface: 'message',
    channel: msg.dataset.channel,
    ts: msg.dataset.ts,
    state: readState(msg),
    ...base,
  });
}

function closeMenus() {
  for (const m of document.querySelectorAll('.menu')) m.remove();
}

/** A multi-select's pills changed: a form only records it; a block that dispatches actions sends it. */
async function pillsChanged(/** @type {HTMLElement} */ el) {
  const inputBlock = el.closest('.b-input');
  if (inputBlock && !(/** @type {HTMLElement} */ (inputBlock).dataset.dispatch)) return;
  await elementUsed(el, readValue(el));
}

/**
 * "Add Ladder to another workspace": the local Slack gets a new workspace, and a new tab walks the
 * install as a browser does on slack.com (the app's install page, Slack's authorize page, back to
 * the app). Once Ladder is installed there, this page switches to it.
 */
async function addWorkspace() {
  // Opened before the request, while the click still counts, so no popup blocker stops it.
  const tab = window.open('about:blank', '_blank');
  const res = await fetch('/workspaces', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  }).catch(() => null);
  const json = res?.ok ? await res.json() : null;
  if (!json?.ok) {
    tab?.close();
    toast('The local workspace could not add a workspace. Is it still running?', true);
    return;
  }
  ui.adding = json.teamId;
  if (tab) tab.location.href = json.installUrl;
  else window.location.href = json.installUrl;
  toast('Finish the install in the new tab: "Add to Slack", then "Allow".');
}

document.addEventListener('click', async (ev) => {
  const target = /** @type {HTMLElement} */ (ev.target);
  if (target.id === 'add-workspace') {
    await addWorkspace();
    return;
  }
  const remove = /** @type {HTMLElement | null} */ (target.closest('.pill-remove'));
  if (remove) {
    const el = /** @type {HTMLElement} */ (remove.closest('.el-pills'));
    const pill = /** @type {HTMLElement} */ (remove.closest('.pill'));
    const value = pill.dataset.value ?? '';
    pill.remove();
    for (const o of /** @type {HTMLSelectElement} */ (el.querySelector('.pill-add')).options) {
      if (o.value === value) {
        o.hidden = false;
        o.disabled = false;
      }
    }
    await pillsChanged(el);
    return;
  }
  if (!target.closest('.menu')) closeMenus();
  const nav = /** @type {HTMLElement | null} */ (target.closest('.js-nav'));
  if (nav) return openPane({ kind: 'channel', id: nav.dataset.channel ?? '' });
  if (target.closest('.js-nav-app')) return openPane({ kind: 'app', tab: 'home' });
  const tab = /** @type {HTMLElement | null} */ (target.closest('.js-tab'));
  if (tab) return openPane({ kind: 'app', tab: tab.dataset.tab === 'messages' ? 'messages' : 'home' });

  const hint = /** @type {HTMLElement | null} */ (target.closest('.js-hint'));
  if (hint) {
    const input = /** @type {HTMLTextAreaElement} */ ($('#composer-input'));
    // The first choice of the usage, up to its first placeholder: `nudge on | off` → `nudge on`.
    const usage = (hint.dataset.usage ?? '').split(/\s*\|\s*/)[0]?.replace(/[<[].*$/, '') ?? '';
    input.value = `${ui.state.app.command} ${usage}`.replace(/\s+$/, ' ');
    input.focus();
    return;
  }

  const msg = /** @type {HTMLElement | null} */ (target.closest('.msg'));
  if (target.closest('.js-dismiss') && msg) {
    ui.dismissed.add(`${msg.dataset.channel}:${msg.dataset.ts}`);
    ui.rendered.clear();
    return render();
  }
  if (target.closest('.js-open-thread') && msg) {
    ui.thread = { channel: msg.dataset.channel ?? '', ts: msg.dataset.ts ?? '' };
    render();
    /** @type {HTMLElement | null} */ (document.querySelector('.js-thread-form textarea'))?.focus();
    return;
  }
  if (target.closest('.js-close-thread')) {
    ui.thread = null;
    return render();
  }
  if (target.closest('.js-more') && msg) {
    closeMenus();
    const menu = document.createElement('div');
    menu.className = 'menu';
    menu.setAttribute('role', 'menu');
    menu.innerHTML = `<div class="menu-title">Ladder</div>${ui.state.app.shortcuts
      .map(
        (/** @type {any} */ s) =>
          `<button type="button" role="menuitem" class="js-shortcut" data-callback-id="${escapeHtml(s.callbackId)}">${escapeHtml(s.name)}</button>`,
      )
      .join('')}`;
    msg.append(menu);
    /** @type {HTMLElement | null} */ (menu.querySelector('button'))?.focus();
    return;
  }
  const shortcut = /** @type {HTMLElement | null} */ (target.closest('.js-shortcut'));
  if (shortcut && msg) {
    closeMenus();
    await act('messageAction', {
      channel: msg.dataset.channel,
      ts: msg.dataset.ts,
      callbackId: shortcut.dataset.callbackId,
    });
    return;
  }

  if (target.closest('.js-modal-close')) {
    const modal = /** @type {HTMLElement | null} */ (target.closest('.modal'));
    if (modal) await act('viewClose', { viewId: modal.dataset.viewId });
    return;
  }
  const submit = /** @type {HTMLButtonElement | null} */ (target.closest('.js-modal-submit'));
  if (submit) {
    const modal = /** @type {HTMLElement} */ (submit.closest('.modal'));
    const error = /** @type {HTMLElement} */ (modal.querySelector('.modal-error'));
    error.textContent = '';
    if (!checkInputs(modal)) return;
    submit.disabled = true;
    const res = await act('viewSubmit', { viewId: modal.dataset.viewId, state: readState(modal) });
    submit.disabled = false;
    if (!res.ok) error.textContent = res.error ?? 'Something went wrong.';
    return;
  }

  if (target.closest('.js-clock-next')) {
    await act('clock', { mode: 'next' });
    return;
  }

  const option = /** @type {HTMLElement | null} */ (target.closest('.overflow-option'));
  if (option) {
    const details = /** @type {HTMLDetailsElement} */ (option.closest('details'));
    details.open = false;
    await elementUsed(details, { value: option.dataset.value ?? null });
    return;
  }
  const button = /** @type {HTMLElement | null} */ (target.closest('.js-el.el-button'));
  if (button) {
    if (button.tagName !== 'A') ev.preventDefault();
    await elementUsed(button, {});
  }
});

document.addEventListener('change', async (ev) => {
  const target = /** @type {HTMLElement} */ (ev.target);
  if (target.id === 'workspace-switch') {
    await switchTeam(/** @type {HTMLSelectElement} */ (target).value);
    if (ui.pane.kind === 'app') act('homeOpened', { tab: ui.pane.tab });
    return;
  }
  if (target.id === 'user-switch') {
    ui.user = /** @type {HTMLSelectElement} */ (target).value;
    localStorage.setItem('ladder.user', ui.user);
    ui.thread = null;
    ui.dismissed.clear();
    ui.rendered.clear();
    await refresh();
    if (ui.pane.kind === 'app') act('homeOpened', { tab: ui.pane.tab });
    return;
  }
  if (target.classList.contains('pill-add')) {
    // Picking an option adds its pill; the picker goes back to its placeholder.
    const picker = /** @type {HTMLSelectElement} */ (target);
    const el = /** @type {HTMLElement} */ (picker.closest('.el-pills'));
    const option = picker.selectedOptions[0];
    if (option && option.value !== '') {
      el.querySelector('.pills')?.insertAdjacentHTML(
        'beforeend',
        pillHtml(option.value, option.textContent ?? ''),
      );
      option.hidden = true;
      option.disabled = true;
    }
    picker.value = '';
    await pillsChanged(el);
    return;
  }
  const el = /** @type {HTMLElement | null} */ (target.closest('.js-el'));
  if (!el || !STATEFUL.has(el.dataset.type ?? '')) return;
  // Inputs in input blocks only change the form, unless the block dispatches actions.
  const inputBlock = el.closest('.b-input');
  if (inputBlock && !(/** @type {HTMLElement} */ (inputBlock).dataset.dispatch)) return;
  await elementUsed(el, readValue(el));
});

document.addEventListener('submit', async (ev) => {
  const form = /** @type {HTMLFormElement} */ (ev.target);
  ev.preventDefault();
  if (form.id === 'composer') {
    const input = /** @type {HTMLTextAreaElement} */ ($('#composer-input'));
    const conv = currentConversation();
    const text = input.value;
    if (!conv || text.trim() === '') return;
    input.value = '';
    await send(text, conv.id, undefined);
    return;
  }
  if (form.classList.contains('js-thread-form') && ui.thread) {
    const input = /** @type {HTMLTextAreaElement} */ (form.querySelector('textarea'));
    const text = input.value;
    if (text.trim() === '') return;
    input.value = '';
    await send(text, ui.thread.channel, ui.thread.ts);
    return;
  }
  if (form.classList.contains('js-clock-at')) {
    const at = /** @type {HTMLInputElement} */ (form.querySelector('input')).value;
    if (at) await act('clock', { mode: 'at', at: at.slice(0, 16) });
  }
});

// Enter sends, Shift+Enter is a new line (composer and thread).
document.addEventListener('keydown', (ev) => {
  const target = /** @type {HTMLElement} */ (ev.target);
  if (ev.key === 'Escape') closeMenus();
  if (ev.key !== 'Enter' || ev.shiftKey || ev.isComposing || !(target instanceof HTMLTextAreaElement)) return;
  const form = target.closest('form');
  if (!form || !(form.id === 'composer' || form.classList.contains('js-thread-form'))) return;
  ev.preventDefault();
  form.requestSubmit();
});

// ---------------------------------------------------------------------------------------------
// Start

// Slack's emoji shortcodes, before anything is drawn (without them, `:name:` stays as text).
try {
  setEmojiTable(await (await fetch('/emoji.json')).json());
} catch {
  setEmojiTable({});
}

const events = new EventSource('/events');
events.onmessage = scheduleRefresh;
events.onopen = scheduleRefresh;

await refresh();
if (!ui.pane.id && ui.state) ui.pane = { kind: 'channel', id: ui.state.channels[0]?.id ?? '' };
render();
/** @type {HTMLElement} */ ($('#composer-input')).focus();
