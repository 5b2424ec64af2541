import type { Locator, Page } from 'playwright-core';

/** A post's card in one of the Publish page's lists (drafts, pending, scheduled, published, …). */
export const postCard = (page: Page, list: string, postId: string): Locator =>
  page.locator(`[data-testid="list-${list}"] [data-testid="post-card"][data-post-id="${postId}"]`);
