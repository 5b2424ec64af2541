import { Select } from '@mantine/core';
import { useMemo } from 'react';

export const browserTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** Every IANA zone the browser knows, searchable; the value is what the server's schedule expects. */
export function TimeZoneSelect({
  label,
  value,
  onChange,
  testId,
  w = 220,
}: {
  label: string;
  value: string;
  onChange: (zone: string) => void;
  testId: string;
  w?: number;
}) {
  const zones = useMemo(() => {
    const known = new Set(Intl.supportedValuesOf('timeZone'));
    known.add('UTC');
    known.add(value);
    return [...known].sort();
  }, [value]);
  return (
    <Select
      label={label}
      data={zones}
      value={value}
      onChange={(zone) => zone && onChange(zone)}
      searchable
      allowDeselect={false}
      w={w}
      data-testid={testId}
      limit={200}
    />
  );
}
