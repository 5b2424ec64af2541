import { z } from 'zod';
import { CUSTOM_FIELD_TYPES, INTERACTION_KINDS } from '../../core/api/crm.js';

const Id = z.string().min(1).max(100);
const Stage = z.string().trim().toLowerCase().min(1).max(40);
/** An ISO 8601 time with an offset (the web sends UTC); stored as UTC text. */
const Time = z.iso.datetime({ offset: true }).transform((t) => new Date(t).toISOString());

export const CrmSettingsBody = z
  .strictObject({
    stages: z
      .array(Stage)
      .min(1)
      .max(20)
      .refine((s) => new Set(s).size === s.length, 'stages must be unique')
      .optional(),
    scoringRules: z
      .array(z.strictObject({ kind: z.enum(INTERACTION_KINDS), points: z.number().int().min(-1000).max(1000) }))
      .max(INTERACTION_KINDS.length)
      .refine((rules) => new Set(rules.map((r) => r.kind)).size === rules.length, 'one rule per kind')
      .optional(),
    customFields: z
      .array(
        z.strictObject({
          key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'lowercase letters, digits and _; starting with a letter'),
          label: z.string().trim().min(1).max(80),
          type: z.enum(CUSTOM_FIELD_TYPES),
        }),
      )
      .max(50)
      .refine((f) => new Set(f.map((x) => x.key)).size === f.length, 'custom field keys must be unique')
      .optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'send stages, scoringRules or customFields');

const Phone = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[0-9+()\-.\s#*x]+$/i, 'digits, spaces and + ( ) - . # * only');

export const PipelineBody = z
  .strictObject({
    phones: z.array(Phone).max(10).optional(),
    customFields: z.record(z.string().max(40), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()])).optional(),
    ownerUserId: Id.nullable().optional(),
    stage: Stage.optional(),
    companyId: Id.nullable().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'send phones, customFields, ownerUserId, stage or companyId');

export const ImportBody = z.strictObject({
  /** The file's text (UTF-8; the web reads it with its BOM). 2 MB at most. */
  csv: z.string().min(1).max(2_000_000),
  mapping: z
    .record(
      z.string().max(200),
      z.union([z.enum(['displayName', 'email', 'company', 'phone', 'stage', 'tags', 'ignore']), z.templateLiteral(['custom:', z.string().max(40)])]),
    )
    .optional(),
  mode: z.enum(['preview', 'import']),
  skipInvalidRows: z.boolean().optional(),
});

export const CompanyParams = z.strictObject({ orgId: z.string(), companyId: Id });
export const CompaniesQuery = z.strictObject({ before: z.string().max(1000).optional(), limit: z.coerce.number().int().min(1).max(100).default(50) });
const CompanyName = z.string().trim().min(1).max(200);
const Domain = z.string().trim().min(1).max(253);
export const NewCompanyBody = z.strictObject({ name: CompanyName, domain: Domain.nullable().optional() });
export const EditCompanyBody = z
  .strictObject({ name: CompanyName.optional(), domain: Domain.nullable().optional() })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'send name or domain');

export const TaskParams = z.strictObject({ orgId: z.string(), taskId: Id });
export const TasksQuery = z.strictObject({
  mine: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  contactId: Id.optional(),
  status: z.enum(['open', 'done', 'all']).default('open'),
  before: z.string().max(20).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
const Title = z.string().trim().min(1).max(500);
export const NewTaskBody = z.strictObject({
  title: Title,
  dueAt: Time.nullable().optional(),
  assigneeUserId: Id.nullable().optional(),
  contactId: Id.nullable().optional(),
  conversationId: Id.nullable().optional(),
  postId: Id.nullable().optional(),
  itemId: Id.nullable().optional(),
  teamPostId: Id.nullable().optional(),
});
export const EditTaskBody = z
  .strictObject({ title: Title.optional(), dueAt: Time.nullable().optional(), assigneeUserId: Id.nullable().optional(), done: z.boolean().optional() })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'send title, dueAt, assigneeUserId or done');
