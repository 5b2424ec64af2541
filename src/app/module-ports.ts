import { authorIsContact, fewContactAuthors } from '../crm/author-filter.js';
import { relayBellsWith } from '../notifications/bell-signal.js';
import { answerContactAuthorsWith } from '../streams/contact-authors.js';
import { streamNotifier } from '../streams/live.js';

// The answers a module needs from one above it, bound once for the process, so that no import
// runs up the floors. Imported by every entry point that assembles modules (server.ts and
// workers.ts) for this effect.
answerContactAuthorsWith({ isContact: authorIsContact, fewAuthors: fewContactAuthors });
relayBellsWith((store, news) => streamNotifier(store).notify({ type: 'relay', ...news }));
