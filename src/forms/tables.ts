export interface FormsTable {
  id: string;
  org_id: string;
  name: string;
  /** JSON array of { name, label, type, required }. */
  fields: string;
  consent_text: string | null;
  /** The public URL's secret part (/f/<token>): unguessable, so a form is reached only through its link. */
  public_token: string;
  campaign_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface FormSubmissionsTable {
  id: string;
  org_id: string;
  form_id: string;
  contact_id: string | null;
  /** JSON object of the submitted answers by field name (text only). */
  data: string;
  /** The visitor's language (en or ja), from Accept-Language. */
  locale: string;
  /** 1 when this submission made its contact (a new contact for the form's campaign), else 0. */
  created_contact: number;
  created_at: string;
}

export interface FormsTables {
  forms: FormsTable;
  form_submissions: FormSubmissionsTable;
}
