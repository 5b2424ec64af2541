import type { FieldProblem, PublicForm } from './service.js';
import { MESSAGES, type VisitorLocale } from './messages.js';

/** Every piece of text the page shows goes through here: form names, labels and answers are someone's input. */
export const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/**
 * The public page has no script at all and loads nothing: inline styles only, posting to itself.
 * Any site may frame it (the embed snippet is an iframe); nothing it shows can run.
 */
export const PUBLIC_FORM_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors *";

const STYLE = `body{font-family:system-ui,-apple-system,"Hiragino Sans","Noto Sans JP",sans-serif;margin:0;padding:24px;background:#f8f9fa;color:#212529}
main{max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:24px;box-shadow:0 1px 3px rgba(0,0,0,.1)}
h1{font-size:1.4rem;margin:0 0 16px}label{display:block;font-weight:600;margin:12px 0 4px}
input[type=text],input[type=email],input[type=tel],textarea{width:100%;box-sizing:border-box;padding:8px;border:1px solid #ced4da;border-radius:4px;font:inherit}
textarea{min-height:120px}.check{display:flex;gap:8px;align-items:flex-start;font-weight:400}.check input{margin-top:4px}
.error{color:#c92a2a;font-size:.9rem;margin:4px 0 0}.summary{background:#fff5f5;border:1px solid #ffc9c9;padding:8px 12px;border-radius:4px;color:#c92a2a}
.optional{font-weight:400;color:#868e96}button{margin-top:20px;padding:10px 20px;background:#1c7ed6;color:#fff;border:0;border-radius:4px;font:inherit;font-weight:600;cursor:pointer}
.trap{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}.thanks{font-size:1.1rem}`;

const page = (locale: VisitorLocale, title: string, body: string) =>
  `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;

const inputType = { text: 'text', email: 'email', phone: 'tel' } as const;
/** A ticked box as the browser sends it ("on") or as it is stored ("yes"). */
const ticked = (value: string | undefined) => value !== undefined && ['on', 'true', 'yes', '1'].includes(value.toLowerCase());

/** The form, with the visitor's previous answers and messages after a refused submission. */
export function renderFormPage(
  form: PublicForm,
  locale: VisitorLocale,
  action: string,
  answers: Record<string, string> = {},
  problems: FieldProblem[] = [],
): string {
  const t = MESSAGES[locale];
  const problemOf = (name: string) => problems.find((p) => p.field === name);
  const error = (name: string) => {
    const problem = problemOf(name);
    return problem ? `<p class="error" id="${escapeHtml(name)}-error">${escapeHtml(t[problem.key])}</p>` : '';
  };
  const described = (name: string) => (problemOf(name) ? ` aria-invalid="true" aria-describedby="${escapeHtml(name)}-error"` : '');
  const fields = form.fields
    .map((field) => {
      const id = `f-${escapeHtml(field.name)}`;
      const name = escapeHtml(field.name);
      const label = `${escapeHtml(field.label)}${field.required ? '' : ` <span class="optional">${t.optional}</span>`}`;
      const value = escapeHtml(answers[field.name] ?? '');
      const required = field.required ? ' required' : '';
      if (field.type === 'checkbox') {
        const checked = ticked(answers[field.name]) ? ' checked' : '';
        return `<label class="check"><input type="checkbox" name="${name}" value="on"${checked}${required}${described(field.name)}> ${label}</label>${error(field.name)}`;
      }
      if (field.type === 'textarea')
        return `<label for="${id}">${label}</label><textarea id="${id}" name="${name}" maxlength="5000"${required}${described(field.name)}>${value}</textarea>${error(field.name)}`;
      return `<label for="${id}">${label}</label><input id="${id}" type="${inputType[field.type]}" name="${name}" value="${value}" maxlength="2000"${required}${described(field.name)}>${error(field.name)}`;
    })
    .join('');
  const consent = form.consentText
    ? `<label class="check"><input type="checkbox" name="consent" value="on"${ticked(answers.consent) ? ' checked' : ''} required${described('consent')}> ${escapeHtml(form.consentText)}</label>${error('consent')}`
    : '';
  // Bots fill every field; people never see this one.
  const trap = `<div class="trap" aria-hidden="true"><label for="f-website">Website</label><input id="f-website" type="text" name="website" tabindex="-1" autocomplete="off"></div>`;
  const summary = problems.length ? `<p class="summary" role="alert">${escapeHtml(t.invalid)}</p>` : '';
  return page(
    locale,
    form.name,
    `<h1>${escapeHtml(form.name)}</h1>${summary}<form method="post" action="${escapeHtml(action)}" accept-charset="utf-8" novalidate>${fields}${trap}${consent}<button type="submit">${t.send}</button></form>`,
  );
}

export const renderMessagePage = (locale: VisitorLocale, title: string, message: string): string =>
  page(locale, title, `<h1>${escapeHtml(title)}</h1><p class="thanks" role="status">${escapeHtml(message)}</p>`);
