import type { Page, Request } from 'playwright-core';

/**
 * The page's requests that have not finished, from now on: for a failure message when an
 * expected request never answers (the browser holds at most six HTTP/1.1 connections per host,
 * and a long-lived one, such as an event stream, takes one of them).
 */
export function trackInFlight(page: Page): () => string {
  const open = new Map<Request, number>();
  page.on('request', (request) => open.set(request, Date.now()));
  page.on('requestfinished', (request) => open.delete(request));
  page.on('requestfailed', (request) => open.delete(request));
  return () => [...open].map(([request, since]) => `${request.method()} ${new URL(request.url()).pathname} (${Date.now() - since} ms)`).join('\n') || '(none)';
}
