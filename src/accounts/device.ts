/**
 * What a session list shows of a User-Agent: the browser family and the operating system
 * ("Chrome on Linux"), not versions. Order matters: Edge and Opera also say "Chrome", Chrome
 * also says "Safari", Android also says "Linux".
 */
export interface Device {
  browser: string | null;
  os: string | null;
}

const BROWSERS: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\//, 'Edge'],
  [/\b(?:OPR|Opera)\//, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\b(?:Firefox|FxiOS)\//, 'Firefox'],
  [/\b(?:HeadlessChrome|Chrome|CriOS|Chromium)\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
  [/^curl\//, 'curl'],
];

const SYSTEMS: [RegExp, string][] = [
  [/\b(?:iPhone|iPad|iPod)\b/, 'iOS'],
  [/\bAndroid\b/, 'Android'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bWindows\b/, 'Windows'],
  [/\bMacintosh\b|\bMac OS X\b/, 'macOS'],
  [/\bLinux\b|\bX11\b/, 'Linux'],
];

const firstMatch = (table: [RegExp, string][], userAgent: string): string | null => table.find(([pattern]) => pattern.test(userAgent))?.[1] ?? null;

export const describeDevice = (userAgent: string): Device => ({ browser: firstMatch(BROWSERS, userAgent), os: firstMatch(SYSTEMS, userAgent) });
