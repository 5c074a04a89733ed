/**
 * Local mode in a real browser: `npm start` with no Slack credentials, driven by Debian's
 * Chromium through playwright-core (never a downloaded browser). The page must not request
 * anything outside 127.0.0.1.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.ts';

const root = path.resolve(import.meta.dirname, '../..');
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
// The README's picture is refreshed with UPDATE_SCREENSHOT=1; a plain run leaves the tree clean.
const SCREENSHOT = process.env.UPDATE_SCREENSHOT
  ? path.join(root, 'docs', 'local-mode.png')
  : path.join(root, 'test-results', 'local-mode.png');
const WIN = 'Ran the Q3 launch review for three teams';
const REFLECTION = 'Wrote the escalation guide so the team decides without me';
const OTHER_WIN = 'Ran the vendor onboarding review for the second workspace';
const ORG_WIN = 'Aligned design and platform on one roadmap';

if (!CHROMIUM) {
  console.warn(
    'local-mode browser test skipped: no Chromium at /usr/bin/chromium (install it with `apt-get install chromium`; .ci/run does)',
  );
}

interface Started {
  proc: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `npm start` exactly as a person runs it, with no Slack credentials in the environment. */
function startLocalMode(dbPath: string): Promise<Started> {
  const proc = spawn('npm', ['start'], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', DATABASE_PATH: dbPath },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so the test can stop npm and the app it started, and nothing else.
    detached: true,
  });
  let out = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no page URL within 30 s:\n${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d.toString('utf8');
      const m = /Ladder local workspace: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ proc, url: m[1], output: () => out, exited });
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`npm start exited before the page was up:\n${out}`));
    });
  });
}

/**
 * SIGTERM to the group, as a terminal's Ctrl-C or a process manager does (npm itself does not
 * pass signals on to the app). Resolves with how long the app took to stop cleanly.
 */
async function stopGroup(started: Started): Promise<number> {
  const t0 = Date.now();
  const pid = started.proc.pid;
  if (pid !== undefined && started.proc.exitCode === null) process.kill(-pid, 'SIGTERM');
  await started.exited;
  while (!started.output().includes('"msg":"ladder stopped"')) {
    if (Date.now() - t0 > 10_000) throw new Error(`the app did not stop cleanly:\n${started.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - t0;
}

async function sendInComposer(page: Page, text: string): Promise<void> {
  const input = page.locator('#composer-input');
  await input.fill(text);
  await input.press('Enter');
}

describe.skipIf(!CHROMIUM)('local mode in a browser', () => {
  let app: Started;
  let context: BrowserContext;
  let page: Page;
  const outside: string[] = [];
  const requested: string[] = [];

  beforeAll(async () => {
    const dir = tempDir('ladder-local-');
    app = await startLocalMode(path.join(dir, 'local.db'));
    context = await chromium.launchPersistentContext(path.join(dir, 'chromium-profile'), {
      executablePath: CHROMIUM as string,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
      viewport: { width: 1280, height: 800 },
      acceptDownloads: true,
    });
    await context.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      requested.push(url.href);
      if (url.hostname !== '127.0.0.1') {
        outside.push(url.href);
        await route.abort();
        return;
      }
      await route.continue();
    });
    page = context.pages()[0] ?? (await context.newPage());
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    // SIGTERM: the app closes the page, the app and the local API, and stops within 5 s.
    if (app) expect(await stopGroup(app)).toBeLessThan(5_000);
  }, 15_000);

  it('runs the app end to end from the page, over signed requests only', { timeout: 90_000 }, async () => {
    await page.goto(app.url);
    await expect.poll(() => page.locator('.workspace-name').textContent()).toBe('Ladder Local');

    // A slash command in #general: the reply is ephemeral (the bot is not in the channel).
    await sendInComposer(page, '/ladder lead');
    const card = page.locator('.msg.ephemeral', { hasText: 'Lead TPM' }).last();
    await card.waitFor();
    expect(await card.textContent()).toContain('Only visible to you');
    expect(await card.locator('.cmd-echo').textContent()).toBe('/ladder lead');
    await card.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });

    // The App Home: opening it sends app_home_opened; the app publishes the view.
    await page.locator('.js-nav-app').click();
    const logWin = page.locator('.home button', { hasText: 'Log a win' });
    await logWin.waitFor();

    // Log a win through the modal; a required field left empty is refused before sending.
    await logWin.click();
    const modal = page.locator('.modal');
    await modal.waitFor();
    await modal.locator('.js-modal-submit').click();
    await expect.poll(() => modal.locator('.b-error').count()).toBeGreaterThan(0);
    await modal.locator('[data-block-id="evidence_text"] textarea').fill(`${WIN} #process`);
    // Axes are Slack's pill picker: picking adds a removable pill (no Ctrl-click list).
    const axes = modal.locator('[data-block-id="evidence_axes"]');
    expect(await axes.locator('select[multiple]').count()).toBe(0);
    await axes.locator('select.pill-add').selectOption('process');
    await axes.locator('select.pill-add').selectOption('people');
    await axes.locator('.pill', { hasText: 'Process' }).locator('.pill-remove').click();
    await expect.poll(() => axes.locator('.pill').allTextContents()).toEqual(['People×']);
    // The app's own validation comes back as response_action: errors, shown on the field.
    const date = modal.locator('[data-block-id="evidence_date"] input');
    await date.fill('2099-01-01');
    await modal.locator('.js-modal-submit').click();
    await modal.locator('[data-block-id="evidence_date"] .b-error', { hasText: 'future' }).waitFor();
    expect(await modal.locator('[data-block-id="evidence_text"] textarea').inputValue()).toBe(
      `${WIN} #process`,
    );
    await date.fill('2026-01-05');
    await modal.locator('.js-modal-submit').click();
    await modal.waitFor({ state: 'detached' });
    await page.locator('.home', { hasText: WIN }).waitFor();

    // "Save as evidence" on a message in #general (message_action), prefilled from the message.
    await page.locator('.js-nav').first().click();
    const thanks = page.locator('.msg', { hasText: 'cross-team launch review' }).first();
    await thanks.hover();
    await thanks.locator('.js-more').click();
    await page.locator('.js-shortcut', { hasText: 'Save as evidence' }).click();
    await modal.waitFor();
    // The message mentions Alex as Slack does (<@U0DEMO1>): the form and the Home read @alex.
    await expect
      .poll(() => modal.locator('[data-block-id="evidence_text"] textarea').inputValue())
      .toContain('Thanks @alex for running the cross-team launch review');
    await modal.locator('.js-modal-submit').click();
    await modal.waitFor({ state: 'detached' });
    await page.locator('.js-nav-app').click();
    await page.locator('.js-tab', { hasText: 'Home' }).click();
    const home = page.locator('.home', { hasText: 'Thanks @alex' });
    await home.waitFor();
    expect(await home.textContent()).not.toContain('<@');

    const state = await (await page.request.get(`${app.url}state?user=U0DEMO1`)).json();
    const usages: string[] = state.app.hint.map((h: { usage: string }) => h.usage);

    // The clock: only once weekly nudges are in the build.
    if (state.clock.canJump) {
      await page.locator('.js-nav-app').click();
      await page.locator('.js-tab', { hasText: 'Messages' }).click();
      await sendInComposer(page, '/ladder nudge on');
      await page.locator('.msg.ephemeral').last().waitFor();
      const before = await page.locator('#pane .msg[data-kind="message"]').count();
      await page.locator('.js-clock-next').click();
      await expect
        .poll(() => page.locator('#pane .msg[data-kind="message"]').count())
        .toBeGreaterThan(before);
      const nudge = page.locator('#pane .msg[data-kind="message"]').last();
      await nudge.hover();
      await nudge.locator('.js-open-thread').click();
      const reply = page.locator('.js-thread-form textarea');
      await reply.fill(REFLECTION);
      await reply.press('Enter');
      // The app confirms a saved reflection with a reaction on the reply.
      await page.locator('#thread .msg', { hasText: REFLECTION }).locator('.reaction').waitFor();
      await page.locator('.js-tab', { hasText: 'Home' }).click();
      await page.locator('.home', { hasText: REFLECTION }).waitFor();
    } else {
      console.warn('local-mode browser test: no nudge clock in this build yet; the nudge steps did not run');
    }

    // Export, once it is in the build: the Markdown file arrives in the DM and downloads.
    if (usages.some((u) => u.startsWith('export'))) {
      await page.locator('.js-nav-app').click();
      await page.locator('.js-tab', { hasText: 'Messages' }).click();
      await sendInComposer(page, '/ladder export md all');
      const file = page.locator('#pane a.file[download$=".md"]').last();
      await file.waitFor({ timeout: 15_000 });
      const [download] = await Promise.all([page.waitForEvent('download'), file.click()]);
      const saved = await download.path();
      expect(fs.readFileSync(saved, 'utf8')).toContain(WIN);
    } else {
      console.warn('local-mode browser test: no export in this build yet; the export step did not run');
    }

    // The chart, once it is in the build: a PNG in the DM, shown in place.
    if (usages.some((u) => u.startsWith('chart'))) {
      await page.locator('.js-nav-app').click();
      await page.locator('.js-tab', { hasText: 'Messages' }).click();
      // The radar compares a level with a target, so set them first.
      await sendInComposer(page, '/ladder me level tpm4 target lead');
      await page.locator('.msg.ephemeral', { hasText: '/ladder me level tpm4 target lead' }).waitFor();
      await sendInComposer(page, '/ladder chart');
      const img = page.locator('#pane .file-image img, #pane .b-img').last();
      await img.waitFor({ timeout: 15_000 });
      await expect
        .poll(() => img.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth))
        .toBeGreaterThan(0);

      // Emoji shortcodes show as emoji, as in Slack: none is left as `:name:` text in a summary
      // or on the Home.
      await sendInComposer(page, '/ladder summary');
      const summary = page.locator('.msg.ephemeral', { hasText: 'Entries per axis' }).last();
      await summary.waitFor({ timeout: 15_000 });
      // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is what is visible (no hidden option text)
      expect(await summary.innerText()).not.toMatch(/:[a-z0-9_+-]+:/);
      await page.locator('.js-tab', { hasText: 'Home' }).click();
      await page.locator('.home', { hasText: 'Thanks @alex' }).waitFor();
      // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is what is visible (no hidden option text)
      expect(await page.locator('.home').innerText()).not.toMatch(/:[a-z0-9_+-]+:/);
    } else {
      console.warn('local-mode browser test: no chart in this build yet; the PNG step did not run');
    }

    // Another person sees none of the first one's entries.
    await page.locator('#user-switch').selectOption('U0DEMO2');
    await page.locator('.js-nav-app').click();
    await page.locator('.js-tab', { hasText: 'Home' }).click();
    await page.locator('.home', { hasText: 'Nothing logged yet' }).waitFor();
    expect(await page.locator('#pane').textContent()).not.toContain(WIN);
    await page.locator('.js-nav').first().click();
    await sendInComposer(page, '/ladder evidence');
    await page.locator('.msg.ephemeral', { hasText: '/ladder evidence' }).waitFor();
    const general = (await page.locator('#pane').textContent()) ?? '';
    expect(general).not.toContain(WIN);
    expect(general).not.toContain('Lead TPM');

    expect(outside).toEqual([]);
    expect(requested.length).toBeGreaterThan(0);
  });

  it('adds Ladder to another workspace through the authorize page, and keeps its data there', {
    timeout: 60_000,
  }, async () => {
    await page.goto(app.url);
    await expect.poll(() => page.locator('.workspace-name').textContent()).toBe('Ladder Local');
    // The org's two workspaces are there from the start (Ladder installed org-wide).
    await expect
      .poll(() => page.locator('#workspace-switch option').allTextContents())
      .toEqual([
        'Ladder Local',
        'Ladder Org · Design (org-wide install)',
        'Ladder Org · Platform (org-wide install)',
      ]);

    // The button opens the install in a new tab: the app's page, then the local Slack's.
    const [tab] = await Promise.all([context.waitForEvent('page'), page.locator('#add-workspace').click()]);
    await tab.waitForURL(/\/slack\/install$/);
    await tab.locator('a', { hasText: 'Add to Slack' }).click();
    await tab.waitForURL(/\/oauth\/v2\/authorize/);
    expect(await tab.locator('select[name="team"]').inputValue()).toBe('T0ADDED1');
    await tab.locator('button', { hasText: 'Allow' }).click();
    await tab.locator('h1', { hasText: 'Ladder is installed' }).waitFor();
    expect(await tab.locator('body').textContent()).toContain('Workspace 2');
    await tab.close();

    // Back on the page: the new workspace is selectable, and the page switched to it.
    await expect.poll(() => page.locator('.workspace-name').textContent()).toBe('Workspace 2');
    expect(await page.locator('#workspace-switch').inputValue()).toBe('T0ADDED1');
    await page.locator('.js-nav').first().click();
    await sendInComposer(page, `/ladder log ${OTHER_WIN} #process`);
    await page.locator('.msg.ephemeral', { hasText: `/ladder log ${OTHER_WIN}` }).waitFor();
    await sendInComposer(page, '/ladder evidence');
    await page.locator('.msg.ephemeral', { hasText: OTHER_WIN }).last().waitFor();

    // Ladder Local's people see none of it.
    await page.locator('#workspace-switch').selectOption('T0LOCAL');
    await expect.poll(() => page.locator('.workspace-name').textContent()).toBe('Ladder Local');
    await page.locator('.js-nav').first().click();
    const asked = await page.locator('.msg.ephemeral', { hasText: '/ladder evidence' }).count();
    await sendInComposer(page, '/ladder evidence');
    await expect
      .poll(() => page.locator('.msg.ephemeral', { hasText: '/ladder evidence' }).count())
      .toBeGreaterThan(asked);
    expect(await page.locator('#pane').textContent()).not.toContain(OTHER_WIN);

    // The org: a win logged in one of its workspaces is the same person's in the other.
    await page.locator('#workspace-switch').selectOption('T0ORGDESIGN');
    await expect.poll(() => page.locator('.workspace-name').textContent()).toBe('Ladder Org · Design');
    await page.locator('.js-nav').first().click();
    await sendInComposer(page, `/ladder log ${ORG_WIN} #strategy`);
    await page.locator('.msg.ephemeral', { hasText: `/ladder log ${ORG_WIN}` }).waitFor();
    await page.locator('#workspace-switch').selectOption('T0ORGPLATFORM');
    await expect.poll(() => page.locator('.workspace-name').textContent()).toBe('Ladder Org · Platform');
    await page.locator('.js-nav').first().click();
    await sendInComposer(page, '/ladder evidence');
    await page.locator('.msg.ephemeral', { hasText: ORG_WIN }).last().waitFor();
    expect(outside).toEqual([]);
  });
});
