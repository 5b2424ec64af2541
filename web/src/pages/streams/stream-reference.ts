/**
 * A stream item handed to the Publish page's composer to reply to or quote, through the
 * router's location state (nothing of it goes into the URL).
 */
export interface StreamReference {
  kind: 'reply' | 'quote';
  /** The account the reply or quote goes out from. */
  channelAccountId: string;
  remoteId: string;
  cid: string | null;
  network: string;
  author: string;
  excerpt: string;
  url: string | null;
}

export function referenceFrom(state: unknown): StreamReference | null {
  const reference = (state as { streamReference?: Partial<StreamReference> } | null)?.streamReference;
  if (!reference || (reference.kind !== 'reply' && reference.kind !== 'quote')) return null;
  if (typeof reference.channelAccountId !== 'string' || typeof reference.remoteId !== 'string') return null;
  return reference as StreamReference;
}
