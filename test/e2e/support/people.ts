/** The people who sign up in more than one e2e file. */

export interface Person {
  name: string;
  email: string;
  password: string;
}

/** The first user: sets the installation up and owns its first organization. */
export interface Owner extends Person {
  org: string;
}

export const OWNER: Owner = { name: 'Olivia Owner', email: 'olivia@example.com', password: 'correct horse battery', org: 'Acme Coffee' };
export const EDITOR: Person = { name: 'Eddie Editor', email: 'eddie@example.com', password: 'editor password 42' };
