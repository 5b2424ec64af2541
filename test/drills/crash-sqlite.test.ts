import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServerOnce, httpClient, setUpOwnerOverHttp, startChildServer, stopChildServer, type ChildServer } from '../ops/support/child-server.js';

/**
 * The embedded store's promise: a write Chorus acknowledged (answered 2xx) survives a crash.
 * Each round SIGKILLs the server while many writes are in flight, at a different point,
 * then checks every acknowledged write against the store the restarted server uses.
 */

interface Acknowledged {
  orgs: Map<string, string>; // id → name it must have now
  invitations: Set<string>;
  tokens: Set<string>;
  /** Renames sent but never answered (the kill came first): they may or may not have committed. */
  unansweredRenames: Map<string, string>;
}

const WORKERS = 24;
const ROUNDS = [40, 150, 400, 900];

async function writeUntilKilled(
  server: ChildServer,
  token: string,
  mainOrgId: string,
  killAfter: number,
): Promise<{ acknowledged: Acknowledged; attempted: number }> {
  const call = httpClient(server.baseUrl, token);
  const acknowledged: Acknowledged = { orgs: new Map(), invitations: new Set(), tokens: new Set(), unansweredRenames: new Map() };
  const renameable: string[] = [];
  let sequence = 0;
  let acks = 0;
  let attempted = 0;
  let killed = false;

  const acknowledge = () => {
    acks += 1;
    if (acks === killAfter && !killed) {
      killed = true;
      server.process.kill('SIGKILL');
    }
  };

  const worker = async () => {
    while (!killed) {
      const n = sequence++;
      attempted += 1;
      try {
        const choice = n % 4;
        if (choice === 0 || (choice === 3 && renameable.length === 0)) {
          const name = `org-${n}`;
          const res = await call('POST', '/api/orgs', { name });
          if (res.status === 201) {
            acknowledged.orgs.set(res.body.org.id, name);
            renameable.push(res.body.org.id);
            acknowledge();
          }
        } else if (choice === 1) {
          const res = await call('POST', `/api/orgs/${mainOrgId}/invitations`, { role: 'editor', email: `person${n}@example.com` });
          if (res.status === 201) {
            acknowledged.invitations.add(res.body.invitation.id);
            acknowledge();
          }
        } else if (choice === 2) {
          const res = await call('POST', '/api/me/tokens', { name: `token-${n}` });
          if (res.status === 201) {
            acknowledged.tokens.add(res.body.apiToken.id);
            acknowledge();
          }
        } else {
          // Each org is renamed at most once, so an acknowledged rename fixes its final name.
          const orgId = renameable.splice(Math.floor(Math.random() * renameable.length), 1)[0]!;
          const name = `renamed-${n}`;
          acknowledged.unansweredRenames.set(orgId, name);
          const res = await call('PATCH', `/api/orgs/${orgId}`, { name });
          if (res.status === 200) {
            acknowledged.unansweredRenames.delete(orgId);
            acknowledged.orgs.set(orgId, name);
            acknowledge();
          }
        }
      } catch {
        // Connection reset by the kill: not acknowledged, so nothing is promised about it.
      }
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, worker));
  await server.exited;
  return { acknowledged, attempted };
}

describe('crash drill: SIGKILL under concurrent writes (SQLite, WAL + synchronous=FULL)', () => {
  let dataDir: string;
  beforeAll(() => {
    buildServerOnce();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-crash-'));
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('keeps every acknowledged write across several kills at different points', async () => {
    let server = await startChildServer(dataDir);
    const owner = await setUpOwnerOverHttp(server.baseUrl);
    const everything: Acknowledged = { orgs: new Map(), invitations: new Set(), tokens: new Set(), unansweredRenames: new Map() };

    for (const base of ROUNDS) {
      const killAfter = base + Math.floor(Math.random() * base);
      const { acknowledged, attempted } = await writeUntilKilled(server, owner.token, owner.orgId, killAfter);
      expect(server.process.signalCode).toBe('SIGKILL');
      expect(attempted).toBeGreaterThan(killAfter);
      for (const [id, name] of acknowledged.orgs) everything.orgs.set(id, name);
      for (const id of acknowledged.invitations) everything.invitations.add(id);
      for (const id of acknowledged.tokens) everything.tokens.add(id);
      for (const [id, name] of acknowledged.unansweredRenames) everything.unansweredRenames.set(id, name);

      // The restarted server recovers the WAL and answers with every acknowledged write.
      server = await startChildServer(dataDir);
      const call = httpClient(server.baseUrl, owner.token);
      const orgs = (await call('GET', '/api/orgs')).body.orgs as { id: string; name: string }[];
      const names = new Map(orgs.map((o) => [o.id, o.name]));
      // An org keeps its acknowledged name, unless a rename of it was cut off by the kill: that one may have committed.
      for (const [id, name] of everything.orgs) expect([name, everything.unansweredRenames.get(id)].filter(Boolean), `org ${id}`).toContain(names.get(id));
      const invitations = new Set(((await call('GET', `/api/orgs/${owner.orgId}/invitations`)).body.invitations as { id: string }[]).map((i) => i.id));
      for (const id of everything.invitations) expect(invitations.has(id), `invitation ${id}`).toBe(true);
      const tokens = new Set(((await call('GET', '/api/me/tokens')).body.tokens as { id: string }[]).map((t) => t.id));
      for (const id of everything.tokens) expect(tokens.has(id), `token ${id}`).toBe(true);
      console.log(
        `crash round: killed after ${killAfter} acks (${attempted} attempted); ${everything.orgs.size} orgs, ${everything.invitations.size} invitations, ${everything.tokens.size} tokens verified`,
      );
    }
    await stopChildServer(server);

    const db = new SQLite(path.join(dataDir, 'chorus.db'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      const stored = db
        .prepare('select count(*) as n from orgs where id in (select value from json_each(?))')
        .get(JSON.stringify([...everything.orgs.keys()])) as { n: number };
      expect(stored.n).toBe(everything.orgs.size);
    } finally {
      db.close();
    }
  });
});
