/** What a visitor reads on a public form, in their language (Accept-Language: ja or en). */
export type VisitorLocale = 'en' | 'ja';

export function visitorLocale(acceptLanguage: string | undefined): VisitorLocale {
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = Number(
        params
          .find((p) => p.trim().startsWith('q='))
          ?.trim()
          .slice(2) ?? '1',
      );
      return { tag: (tag ?? '').toLowerCase(), q: Number.isFinite(q) ? q : 0 };
    })
    .filter((l) => l.tag && l.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag === 'ja' || tag.startsWith('ja-')) return 'ja';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return 'en';
}

export const MESSAGES = {
  en: {
    required: 'This field is required.',
    email: 'Enter an email address, such as name@example.com.',
    phone: 'Enter a phone number (digits, spaces and + ( ) -).',
    tooLong: 'This answer is too long.',
    consent: 'Please agree before sending.',
    invalid: 'Some answers need a look; see the messages by each field.',
    thanks: 'Thank you! We received your answers.',
    send: 'Send',
    notFound: 'This form does not exist or was removed.',
    tooMany: 'Too many submissions from your network; please try again in a minute.',
    optional: '(optional)',
  },
  ja: {
    required: 'この項目は必須です。',
    email: 'メールアドレスを入力してください（例: name@example.com）。',
    phone: '電話番号を入力してください（数字、スペース、+ ( ) -）。',
    tooLong: '入力が長すぎます。',
    consent: '送信する前に同意してください。',
    invalid: '入力内容を確認してください。各項目のメッセージをご覧ください。',
    thanks: 'ありがとうございます。送信内容を受け付けました。',
    send: '送信',
    notFound: 'このフォームは存在しないか、削除されました。',
    tooMany: '送信が多すぎます。1分ほどしてからもう一度お試しください。',
    optional: '（任意）',
  },
} as const satisfies Record<VisitorLocale, Record<string, string>>;
export type MessageKey = keyof (typeof MESSAGES)['en'];
