import { startTransition, useEffect, useRef, useState, type FocusEvent, type RefObject } from 'react';

/** Cards a column builds at first: about what a column shows at once on a 1080p screen (cards are 150–250 px); the rest follow at once, as a transition. */
const FIRST_SCREENFUL = 4;
/** Cards added each time the reader nears the end of what is built. */
const MORE = 10;
/** How far below the column's visible part the next cards are built, so scrolling never meets a gap. */
const AHEAD = '800px';

/**
 * How many of a column's loaded items to build: the first screenful, then more as the reader
 * scrolls or tabs towards the end of them. A board of ten columns otherwise builds every card of
 * every first page (50 per column, some 30 elements each) before any column shows one; the
 * rest of a page is in memory already, so building it later costs no request.
 *
 * The cards below the screenful are built as a transition: React yields to the other columns'
 * first cards (and to the reader's clicks) rather than building what nobody sees yet first.
 */
export function useShownItems(loaded: number, scroller: RefObject<HTMLElement | null>) {
  const [built, setBuilt] = useState(FIRST_SCREENFUL);
  const sentinel = useRef<HTMLDivElement>(null);
  const more = loaded > built;
  useEffect(() => {
    const element = sentinel.current;
    if (!element || !more) return;
    // Observed again after each growth: a sentinel still in reach reports at once and the column grows on.
    const grow = () => startTransition(() => setBuilt((n) => n + MORE));
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && grow(), {
      root: scroller.current,
      rootMargin: `${AHEAD} 0px`,
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [more, built, scroller]);
  /** Keyboard readers: focus on one of the last two built cards builds the next ones, so Tab never leaves the column early. */
  const onFocus = (event: FocusEvent<HTMLElement>) => {
    if (!more || !(event.target instanceof HTMLElement) || event.target.dataset.testid !== 'stream-item') return;
    const cards = event.currentTarget.querySelectorAll('[data-testid="stream-item"]');
    if ([...cards].indexOf(event.target) >= cards.length - 2) setBuilt((n) => n + MORE);
  };
  return { shown: Math.min(loaded, built), more, sentinel, onFocus };
}
