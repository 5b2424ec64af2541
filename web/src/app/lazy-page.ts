import { lazy, type LazyExoticComponent, type ReactNode } from 'react';

type Page<Props> = (props: Props) => ReactNode;

/**
 * A page whose code is downloaded when it is first shown. The board is what nearly every visit
 * opens, so it ships in the first download; the other pages (analytics alone brings ECharts,
 * a third of the libraries) are separate chunks. A failed download is thrown to PageErrorBoundary.
 */
export function lazyPage<Props extends object>(load: () => Promise<Page<Props>>): LazyExoticComponent<Page<Props>> {
  return lazy(async () => ({ default: await load() }));
}
