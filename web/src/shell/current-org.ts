import { useOutletContext } from 'react-router';
import type { Org, Session } from '../api/types.js';

export interface CurrentOrg {
  org: Org;
  session: Session;
}

/** The org in the URL (/orgs/:orgId/...) and the signed-in session, for pages inside the shell. */
export const useCurrentOrg = (): CurrentOrg => useOutletContext<CurrentOrg>();
