import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { ContactImportResult, CrmSettingsView, ImportRowError } from '../../core/api/crm.js';
import { DomainError } from '../lib/domain-error.js';
import type { OrgScope } from '../teams/org-scope.js';
import { companyOfEmail } from './companies.js';
import { findOrCreateContactByEmail } from './email-match.js';
import { checkCustomFields, moveToStage } from './pipeline.js';
import { createContact } from './service.js';
import { crmSettings } from './settings.js';

/** Where a CSV column goes: a contact field, one of the org's custom fields (`custom:<key>`), or nowhere. */
export type ImportTarget = 'displayName' | 'email' | 'company' | 'phone' | 'stage' | 'tags' | 'ignore' | `custom:${string}`;

const PREVIEW_ROWS = 20;
const Email = z.email();

/** A header's usual meaning, in English and Japanese, so most files need no mapping by hand. */
const GUESSES: [RegExp, ImportTarget][] = [
  [/^(name|display ?name|full ?name|名前|氏名)$/i, 'displayName'],
  [/^(e-?mail|email address|メール|メールアドレス)$/i, 'email'],
  [/^(company|organi[sz]ation|会社|会社名)$/i, 'company'],
  [/^(phone|tel|telephone|mobile|電話|電話番号)$/i, 'phone'],
  [/^(stage|lifecycle stage|ステージ)$/i, 'stage'],
  [/^(tags?|タグ)$/i, 'tags'],
];

export const guessTarget = (header: string): ImportTarget => GUESSES.find(([pattern]) => pattern.test(header.trim()))?.[1] ?? 'ignore';

interface ParsedRow {
  line: number;
  displayName: string;
  email: string | null;
  company: string | null;
  phones: string[];
  stage: string;
  tags: string[];
  customFields: Record<string, string | number | boolean | null>;
}

const customValue = (type: string, text: string): string | number | boolean | null => {
  if (text === '') return null;
  if (type === 'number') return Number(text);
  if (type === 'boolean') return /^(true|yes|1|はい)$/i.test(text) ? true : /^(false|no|0|いいえ)$/i.test(text) ? false : (text as unknown as boolean);
  return text;
};

/** Reads every row against the mapping and the org's settings; a row with any problem is left out and reported by its line. */
export function readContactsCsv(
  csv: string,
  mapping: Record<string, ImportTarget> | undefined,
  settings: CrmSettingsView,
): { headers: string[]; rows: ParsedRow[]; errors: ImportRowError[] } {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(csv, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true, trim: true }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? null;
    throw new DomainError('csv_unreadable', `The file is not readable CSV${line ? ` (line ${line})` : ''}: ${(error as Error).message}`, 422, { line });
  }
  const [head, ...body] = records;
  if (!head) throw new DomainError('csv_empty', 'The file has no header line', 422);
  const headers = head.record;
  const targets = headers.map((h) => mapping?.[h] ?? guessTarget(h));
  if (!targets.includes('displayName') && !targets.includes('email'))
    throw new DomainError('csv_no_name_column', 'Map a column to the name or the email: a contact needs one of them', 422, { headers });
  const customTypes = new Map(settings.customFields.map((f) => [f.key, f.type]));
  const errors: ImportRowError[] = [];
  const rows: ParsedRow[] = [];
  for (const { record, info } of body) {
    const line = info.lines;
    const row: ParsedRow = { line, displayName: '', email: null, company: null, phones: [], stage: settings.stages[0]!, tags: [], customFields: {} };
    const rowErrors: ImportRowError[] = [];
    targets.forEach((target, index) => {
      const text = (record[index] ?? '').trim();
      const column = headers[index]!;
      if (target === 'displayName') row.displayName = text.slice(0, 200);
      else if (target === 'email' && text) {
        if (Email.safeParse(text).success && text.length <= 320) row.email = text;
        else rowErrors.push({ line, column, message: `"${text}" is not an email address` });
      } else if (target === 'company' && text) row.company = text.slice(0, 200);
      else if (target === 'phone' && text)
        row.phones.push(
          ...text
            .split(/[;,]/)
            .map((p) => p.trim())
            .filter(Boolean),
        );
      else if (target === 'stage' && text) {
        if (settings.stages.includes(text.toLowerCase())) row.stage = text.toLowerCase();
        else rowErrors.push({ line, column, message: `"${text}" is not a stage (${settings.stages.join(', ')})` });
      } else if (target === 'tags' && text)
        row.tags = text
          .split(/[;,]/)
          .map((t) => t.trim().toLowerCase())
          .filter(Boolean)
          .slice(0, 20);
      else if (target.startsWith('custom:')) {
        const key = target.slice('custom:'.length);
        const type = customTypes.get(key);
        if (!type) rowErrors.push({ line, column, message: `no custom field "${key}"` });
        else row.customFields[key] = customValue(type, text);
      }
    });
    if (!row.displayName) row.displayName = row.email ?? '';
    if (!row.displayName) rowErrors.push({ line, column: null, message: 'no name and no email' });
    if (Object.keys(row.customFields).length) {
      try {
        checkCustomFields(settings.customFields, row.customFields);
      } catch (error) {
        for (const problem of ((error as DomainError).details as { field: string; message: string }[]) ?? [])
          rowErrors.push({ line, column: headers[targets.indexOf(`custom:${problem.field}`)] ?? null, message: problem.message });
      }
    }
    if (rowErrors.length) errors.push(...rowErrors);
    else rows.push(row);
  }
  return { headers, rows, errors };
}

export interface ImportRequest {
  csv: string;
  mapping?: Record<string, ImportTarget> | undefined;
  /** 'preview' writes nothing; 'import' writes the valid rows, only when there are no errors unless `skipInvalidRows`. */
  mode: 'preview' | 'import';
  skipInvalidRows?: boolean | undefined;
}

/**
 * Contacts from a spreadsheet: a preview with a row-level error report first; nothing is written
 * until the file is valid or the user confirms that the rows with errors are skipped. A row
 * with an email updates the contact that has it (fields it fills, tags added), else makes one.
 */
export async function importContacts(scope: OrgScope, request: ImportRequest): Promise<ContactImportResult> {
  const settings = await crmSettings(scope);
  const { headers, rows, errors } = readContactsCsv(request.csv, request.mapping, settings);
  const base = {
    headers,
    preview: rows
      .slice(0, PREVIEW_ROWS)
      .map((r) => ({ line: r.line, displayName: r.displayName, email: r.email, company: r.company, phones: r.phones, stage: r.stage, tags: r.tags })),
    validRows: rows.length,
    errors,
  };
  if (request.mode === 'preview' || (errors.length > 0 && !request.skipInvalidRows)) return { ...base, imported: false, created: 0, updated: 0 };
  let created = 0;
  let updated = 0;
  await scope.transaction(async (tx) => {
    for (const row of rows) {
      let contactId: string;
      if (row.email) {
        const found = await findOrCreateContactByEmail(tx, { email: row.email, displayName: row.displayName, companyId: await companyOfEmail(tx, row.email) });
        contactId = found.contactId;
        if (found.created) created++;
        else updated++;
      } else {
        contactId = (await createContact(tx, { displayName: row.displayName })).id;
        created++;
      }
      const current = await tx.selectFrom('contacts').selectAll().where('id', '=', contactId).executeTakeFirstOrThrow();
      const phones = [...new Set([...(JSON.parse(current.phones) as string[]), ...row.phones])];
      const customFields = { ...(JSON.parse(current.custom_fields) as object), ...row.customFields };
      await tx
        .updateTable('contacts')
        .set({ company: current.company ?? row.company, phones: JSON.stringify(phones), custom_fields: JSON.stringify(customFields), updated_at: tx.now() })
        .where('id', '=', contactId)
        .execute();
      if (row.tags.length) {
        const have = new Set((await tx.selectFrom('contact_tags').select('tag').where('contact_id', '=', contactId).execute()).map((t) => t.tag));
        await tx.insertInto(
          'contact_tags',
          row.tags.filter((t) => !have.has(t)).map((tag) => ({ contact_id: contactId, tag })),
        );
      }
      if (row.stage !== current.stage) await moveToStage(tx, contactId, current.stage, row.stage);
    }
    await tx.audit('contacts.imported', { created, updated, skipped: errors.length ? new Set(errors.map((e) => e.line)).size : 0 });
  });
  return { ...base, imported: true, created, updated };
}
