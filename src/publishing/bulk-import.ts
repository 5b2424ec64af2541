import { parse } from 'csv-parse/sync';
import { DateTime } from 'luxon';
import { networkRules } from '../../core/networks/index.js';
import { textAsSent } from '../../core/short-link-text.js';
import { DomainError } from '../lib/domain-error.js';
import type { OrgScope } from '../teams/org-scope.js';
import type { ChannelDirectory, PublishingChannel } from '../channels/channel-directory.js';
import { shortLinkPrefixFor, type LinkShortening } from './link-shortening.js';
import { writePost } from './service.js';
import type { BulkReport, BulkRowProblem } from '../../core/api/publishing.js';

export type { BulkReport, BulkRowProblem };

export const BULK_COLUMNS = ['account', 'time', 'text', 'media_url', 'campaign'] as const;
const REQUIRED = ['account', 'time', 'text'] as const;
export const MAX_BULK_ROWS = 1000;

interface ValidRow {
  line: number;
  channel: PublishingChannel;
  local: string;
  timeZone: string;
  text: string;
  campaign: string | undefined;
}

/**
 * Bulk scheduling from CSV (header row: account,time,text[,media_url][,campaign]). Every row is
 * checked first and reported with its line number; nothing is imported while any row is bad,
 * unless the user, having seen the report, asks for the valid rows only. All-or-nothing: the
 * rows that are imported go in one transaction.
 */
export async function importCsv(
  scope: OrgScope,
  directory: ChannelDirectory,
  shortening: LinkShortening,
  input: { csv: string; timeZone: string; importValidOnly: boolean; dryRun: boolean },
): Promise<BulkReport> {
  const records = parseRecords(input.csv);
  const channels = await directory.listAllChannels(scope.orgId);
  // Rows leave shortening to the org's default, as writePost will measure them.
  const shortLinkPrefix = await shortLinkPrefixFor(shortening, scope, null);
  const valid: ValidRow[] = [];
  const invalid: BulkRowProblem[] = [];
  for (const { record, line } of records) {
    const checked = checkRow(record, line, channels, input.timeZone, new Date(scope.now()), shortLinkPrefix);
    if ('errors' in checked) invalid.push(checked);
    else valid.push(checked);
  }
  const report: BulkReport = { rows: records.length, valid: valid.length, invalid, imported: 0, postIds: [] };
  if (input.dryRun) return report;
  if (invalid.length > 0 && !input.importValidOnly) {
    throw new DomainError(
      'csv_has_errors',
      `${invalid.length} of ${records.length} rows have problems; nothing was imported. Fix them, or import only the ${valid.length} valid rows.`,
      422,
      report,
    );
  }
  // Resolved before the transaction: no directory lookup may run inside it (see writePost).
  const resolved = new Map((await directory.listChannels(scope.orgId, [...new Set(valid.map((row) => row.channel.id))])).map((c) => [c.id, c]));
  const postIds = await scope.transaction(async (tx) => {
    const ids: string[] = [];
    for (const row of valid) {
      const id = await writePost(tx, [resolved.get(row.channel.id) ?? row.channel], shortening, {
        text: row.text,
        overrides: {},
        action: 'schedule',
        scheduledAt: { local: row.local, timeZone: row.timeZone },
        ...(row.campaign ? { campaign: row.campaign } : {}),
      });
      ids.push(id);
    }
    // In the transaction: once the posts are committed, nothing may fail the request (a 5xx would invite a second import).
    await tx.audit('post.bulk_imported', { rows: records.length, imported: ids.length });
    return ids;
  });
  return { ...report, imported: postIds.length, postIds };
}

function parseRecords(csv: string): { record: Record<string, string>; line: number }[] {
  let parsed: { record: Record<string, string>; info: { lines: number } }[];
  try {
    parsed = parse(csv, {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      bom: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
    });
  } catch (error) {
    throw new DomainError('csv_unreadable', `The file is not valid CSV: ${(error as Error).message}`, 422);
  }
  if (parsed.length === 0) throw new DomainError('csv_empty', 'The file has a header but no rows', 422);
  if (parsed.length > MAX_BULK_ROWS) throw new DomainError('csv_too_many_rows', `At most ${MAX_BULK_ROWS} rows per file (this one has ${parsed.length})`, 422);
  const header = Object.keys(parsed[0]!.record);
  const missing = REQUIRED.filter((column) => !header.includes(column));
  const unknown = header.filter((column) => !(BULK_COLUMNS as readonly string[]).includes(column));
  if (missing.length || unknown.length) {
    const parts = [missing.length ? `missing column(s): ${missing.join(', ')}` : '', unknown.length ? `unknown column(s): ${unknown.join(', ')}` : ''].filter(
      Boolean,
    );
    throw new DomainError('csv_bad_header', `The header row must name the columns ${BULK_COLUMNS.join(', ')} (${parts.join('; ')})`, 422);
  }
  return parsed.map((p) => ({ record: p.record, line: p.info.lines }));
}

function checkRow(
  record: Record<string, string>,
  line: number,
  channels: PublishingChannel[],
  timeZone: string,
  now: Date,
  shortLinkPrefix: string | null,
): ValidRow | BulkRowProblem {
  const errors: string[] = [];
  const account = record.account ?? '';
  const wanted = account.replace(/^@/, '').toLowerCase();
  const matches = channels.filter((c) => c.id === account || c.handle?.toLowerCase() === wanted || c.displayName.toLowerCase() === account.toLowerCase());
  if (matches.length === 0) errors.push(`no connected account "${account}"`);
  if (matches.length > 1) errors.push(`"${account}" matches ${matches.length} accounts; use the account id`);
  const time = DateTime.fromFormat(record.time ?? '', 'yyyy-MM-dd HH:mm', { zone: timeZone });
  const iso = time.isValid ? time : DateTime.fromISO(record.time ?? '', { zone: timeZone });
  if (!iso.isValid) errors.push(`time "${record.time}" is not YYYY-MM-DD HH:mm`);
  else if (iso.toJSDate() <= now) errors.push(`time ${record.time} is in the past`);
  const text = record.text ?? '';
  if (!text.trim()) errors.push('text is empty');
  if (record.media_url) errors.push('media from a URL is not supported yet: attach images in the composer');
  const channel = matches.length === 1 ? matches[0]! : undefined;
  if (channel && text.trim()) {
    const measure = networkRules(channel.network).measureText(textAsSent(text, shortLinkPrefix), { limit: channel.textLimit });
    if (!measure.fits) errors.push(`text is ${measure.length}/${measure.limit} on ${channel.network}`);
  }
  if (errors.length || !channel || !iso.isValid) return { line, errors };
  return { line, channel, local: iso.toFormat("yyyy-MM-dd'T'HH:mm"), timeZone, text, campaign: record.campaign || undefined };
}
