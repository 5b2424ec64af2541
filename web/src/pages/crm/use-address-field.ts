import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useRef, useState } from 'react';

/**
 * A filter box bound to one value of the page address. Typing writes the address once the typing
 * stops (one request, not one per key); the address changing under the box (back, forward, a
 * link) rewrites the box. `normalize` turns what is typed into its address form ('' for none), so
 * a half-typed value ("-" on the way to "-5") is left alone rather than reset to the address.
 */
export function useAddressField(address: string, write: (value: string) => void, normalize: (typed: string) => string): [string, (typed: string) => void] {
  const [box, setBox] = useState(address);
  const [settled] = useDebouncedValue(box, 300);
  // What the address holds as far as this box knows: its own last write, or the last value it was given.
  const known = useRef(address);
  useEffect(() => {
    const value = normalize(settled);
    if (value === known.current) return;
    known.current = value;
    write(value);
    // Only settled typing writes; write reads the address fresh.
  }, [settled]);
  useEffect(() => {
    if (address === known.current) return;
    known.current = address;
    setBox(address);
  }, [address]);
  return [box, setBox];
}
