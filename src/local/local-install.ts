/**
 * Installs Ladder in a local workspace (or org-wide in the local org) through the same OAuth flow a
 * browser walks: the app's install page (which sets Bolt's state cookie), the local Slack's
 * authorize page and its "Allow", and the redirect back to the app with the code. Local mode uses
 * it on first start, so a new user lands in a workspace that already has the app.
 */

const decode = (s: string) => s.replace(/&#(\d+);/g, (_m, c: string) => String.fromCharCode(Number(c)));

export class LocalInstallError extends Error {
  constructor(step: string, detail: string) {
    super(`installing Ladder in the local workspace failed at ${step}: ${detail}`);
    this.name = 'LocalInstallError';
  }
}

/** `appBase`: the app's origin, e.g. `http://127.0.0.1:PORT`. `teamId`: a workspace or an org. */
export async function installThroughOAuth(appBase: string, teamId: string): Promise<void> {
  const start = await fetch(`${appBase}/slack/install`);
  const href = /href="(https?:[^"]+)"/.exec(await start.text())?.[1]?.replace(/&amp;/g, '&');
  if (!start.ok || !href) throw new LocalInstallError('the install page', `status ${start.status}`);
  const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const authorize = new URL(href);
  authorize.searchParams.set('team', teamId);
  const page = await fetch(authorize);
  const form = await page.text();
  if (!page.ok) throw new LocalInstallError('the authorize page', `status ${page.status}`);
  const inputs = [...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)]
    .map(([, k, v]) => [decode(k ?? ''), decode(v ?? '')] as [string, string])
    .filter(([k]) => k !== 'team');
  const allowed = await fetch(authorize.origin + authorize.pathname, {
    method: 'POST',
    body: new URLSearchParams([...inputs, ['team', teamId], ['allow', '1']]),
    redirect: 'manual',
  });
  const location = allowed.headers.get('location');
  if (allowed.status !== 302 || !location) throw new LocalInstallError('"Allow"', `status ${allowed.status}`);
  const back = new URL(location);
  const done = await fetch(`${appBase}${back.pathname}${back.search}`, { headers: { cookie } });
  await done.text();
  if (!done.ok) throw new LocalInstallError('the redirect to the app', `status ${done.status}`);
}
