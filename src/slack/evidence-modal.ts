import type { WebClient } from '@slack/web-api';
import type { AppContext } from '../context.ts';
import type { EvidenceSource, Owner } from '../domain/types.ts';
import { buildEvidenceModal, type EvidenceFormValues } from './blocks/evidence-modal.ts';

/**
 * Where the modal was opened from decides where its confirmation goes. `home-edit` is an Edit
 * pressed on the App Home: it confirms by re-publishing the Home, as `home` does. `shortcut-edit`
 * is the entry opened from "Save as evidence" on a message already saved.
 */
export const MODAL_ORIGINS = [
  'command',
  'shortcut',
  'home',
  'edit',
  'home-edit',
  'shortcut-edit',
  'message',
] as const;
export type ModalOrigin = (typeof MODAL_ORIGINS)[number];

/** The origin a pending view was stored with; null for anything else (another modal's view, none). */
export function modalOriginOf(kind: string | null | undefined): ModalOrigin | null {
  return (MODAL_ORIGINS as readonly unknown[]).includes(kind) ? (kind as ModalOrigin) : null;
}

export function isEditOrigin(origin: ModalOrigin | null): boolean {
  return origin === 'edit' || origin === 'home-edit' || origin === 'shortcut-edit';
}

/** What an entry saved from the modal records as its source. */
export function sourceOfOrigin(origin: ModalOrigin | null): EvidenceSource {
  return origin === 'shortcut' ? 'shortcut' : origin === 'home' ? 'home' : 'modal';
}

/**
 * Opens the evidence modal and remembers, server-side and by view id, whose it is, where to
 * confirm and which entry it edits. Nothing of that travels in private_metadata.
 */
export async function openEvidenceModal(
  ctx: AppContext,
  client: WebClient,
  owner: Owner,
  opts: {
    triggerId: string;
    origin: ModalOrigin;
    responseUrl: string | null;
    entryId?: number;
    values: EvidenceFormValues;
    note?: string;
    /** "Save as evidence": the message it came from (channel, ts and its Slack text). */
    message?: { channelId: string; ts: string; text: string };
  },
): Promise<string | undefined> {
  const view = buildEvidenceModal(ctx.ladder, opts.values, {
    mode: isEditOrigin(opts.origin) ? 'edit' : 'create',
    ...(opts.note ? { note: opts.note } : {}),
  });
  const res = await client.views.open({ trigger_id: opts.triggerId, view });
  const viewId = res.view?.id;
  if (viewId) {
    await ctx.repos.slackState.rememberView(
      owner,
      {
        viewId,
        kind: opts.origin,
        responseUrl: opts.responseUrl,
        entryId: opts.entryId ?? null,
        message: opts.message ?? null,
      },
      ctx.now(),
    );
  }
  return viewId;
}
