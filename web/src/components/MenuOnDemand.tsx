import { Menu, type MenuProps } from '@mantine/core';
import { cloneElement, useLayoutEffect, useRef, useState, type ReactElement, type ReactNode, type MouseEvent } from 'react';

type MenuOnDemandProps = Omit<MenuProps, 'opened' | 'defaultOpened' | 'onChange' | 'children'> & {
  /** The button that opens the menu. */
  target: ReactElement<{ onClick?: (event: MouseEvent<HTMLElement>) => void }>;
  /** The menu's items (what goes in Menu.Dropdown). */
  children: ReactNode;
};

/**
 * A Mantine Menu built on its first opening. A closed Menu still sets up its popover (Floating
 * UI, which reads computed styles, focus handling, a dozen hooks); a board has one on every card,
 * and building them took a tenth of the board's first render. Until then the target is the bare
 * button; once opened, the menu stays built and behaves as any Menu (focus inside while open,
 * back on the button when it closes).
 */
export function MenuOnDemand({ target, children, ...menu }: MenuOnDemandProps) {
  const [built, setBuilt] = useState(false);
  const [opened, setOpened] = useState(false);
  const holder = useRef<HTMLSpanElement>(null);
  const hadFocus = useRef(false);
  // The bare button is replaced by the menu's own, closed: it takes the focus over, and only then
  // does the menu open, so the menu notes it as where focus goes back to (it notes that on a
  // change of `opened`, not on mounting open).
  useLayoutEffect(() => {
    if (!built) return;
    if (hadFocus.current) holder.current?.querySelector<HTMLElement>('button, a')?.focus();
    setOpened(true);
  }, [built]);
  return (
    <span ref={holder} style={{ display: 'contents' }}>
      {built ? (
        <Menu returnFocus {...menu} opened={opened} onChange={setOpened}>
          <Menu.Target>{target}</Menu.Target>
          <Menu.Dropdown>{children}</Menu.Dropdown>
        </Menu>
      ) : (
        cloneElement(target, {
          onClick: (event) => {
            hadFocus.current = document.activeElement === event.currentTarget;
            setBuilt(true);
          },
        })
      )}
    </span>
  );
}
