/**
 * Contract tests for the LinkedIn connector. No LinkedIn server can run here: a local server
 * asserts what Chorus sends (LinkedIn-Version and Rest.li headers, URNs, little-text escaping)
 * and answers with the shapes LinkedIn's Marketing API reference documents (organizations, Posts
 * API with x-restli-id, Images API initializeUpload + upload, socialActions comments,
 * organizationalEntityShareStatistics, networkSizes, OAuth refresh, error bodies).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { linkedinRules } from '../../core/networks/linkedin.js';
import type { ConnectorResult } from '../../src/channels/connector.js';
import { LINKEDIN_VERSION } from '../../src/channels/linkedin/api.js';
import { createLinkedinConnector, escapeLittleText, unescapeLittleText } from '../../src/channels/linkedin/connector.js';
import type { LinkedinCredentials } from '../../src/channels/linkedin/credentials.js';
import { LinkedinTokenRejected } from '../../src/channels/linkedin/failures.js';
import { exchangeLinkedinCode, linkedinAdministeredPages, linkedinAuthorizeUrl, LINKEDIN_SCOPES } from '../../src/channels/linkedin/oauth.js';
import { startContractServer, type ContractServer } from '../support/contract-server.js';

const NOW = new Date('2026-12-05T01:30:00Z');
const TOKEN = 'AQV'.padEnd(40, 'x');
const ORG = 'urn:li:organization:2414183';

let server: ContractServer;
let saved: unknown[];

beforeEach(async () => {
  saved = [];
  server = await startContractServer({
    'GET /rest/organizations/:id': (_r, params) => ({ json: { id: Number(params.id), localizedName: 'ACME ベーカリー', vanityName: 'acme-bakery' } }),
  });
});
afterEach(() => server.close());

function connect(extra: Partial<LinkedinCredentials> = {}) {
  return createLinkedinConnector(
    { organizationId: '2414183', accessToken: TOKEN, apiBase: server.url, authBase: server.url, ...extra },
    { fetch: globalThis.fetch, now: () => NOW, saveCredentials: async (c) => void saved.push(c) },
  );
}

function value<T>(result: ConnectorResult<T>): T {
  if (!result.ok) throw new Error(`connector failed: ${JSON.stringify(result.failure)}`);
  return result.value;
}

function posting() {
  let n = 0;
  server.routes['POST /rest/posts'] = () => ({ status: 201, headers: { 'x-restli-id': `urn:li:share:70000000000000${++n}` } });
}

describe('LinkedIn connector', () => {
  it('verifies by reading the organization, with the version and Rest.li headers', async () => {
    expect(value(await connect().verify())).toEqual({
      remoteId: ORG,
      handle: 'acme-bakery',
      displayName: 'ACME ベーカリー',
      avatarUrl: null,
      profileUrl: 'https://www.linkedin.com/company/acme-bakery',
    });
    const sent = server.sent('GET /rest/organizations/:id')[0]!;
    expect(sent.path).toBe('/rest/organizations/2414183');
    expect(sent.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(sent.headers['linkedin-version']).toBe(LINKEDIN_VERSION);
    expect(sent.headers['x-restli-protocol-version']).toBe('2.0.0');
  });

  it('publishes as the organization with escaped commentary and the link as an article card', async () => {
    posting();
    const text = '冬のパン (限定) #新作 https://acme.example/winter';
    const published = value(await connect().publish({ idempotencyKey: 'k1', text, attempt: 1 }));
    expect(published).toEqual({
      remoteId: 'urn:li:share:700000000000001',
      cid: null,
      url: 'https://www.linkedin.com/feed/update/urn:li:share:700000000000001/',
      alreadyExisted: false,
    });
    expect(server.sent('POST /rest/posts')[0]!.json).toEqual({
      author: ORG,
      commentary: '冬のパン \\(限定\\) \\#新作 https://acme.example/winter',
      visibility: 'PUBLIC',
      distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
      lifecycleState: 'PUBLISHED',
      isReshareDisabledByAuthor: false,
      content: { article: { source: 'https://acme.example/winter', title: 'acme.example' } },
    });
  });

  it('uploads an image through the Images API and posts it with its alt text', async () => {
    posting();
    server.routes['POST /rest/images'] = () => ({
      json: { value: { uploadUrlExpiresAt: 1_765_000_000_000, uploadUrl: `${server.url}/dms-uploads/abc`, image: 'urn:li:image:C4E10AQ' } },
    });
    server.routes['PUT /dms-uploads/abc'] = () => ({ status: 201 });
    value(
      await connect().publish({
        idempotencyKey: 'k2',
        text: '焼きたて',
        images: [{ data: new Uint8Array([1, 2, 3]), mimeType: 'image/png', alt: 'クロワッサン' }],
        attempt: 1,
      }),
    );
    const init = server.sent('POST /rest/images')[0]!;
    expect(init.query.get('action')).toBe('initializeUpload');
    expect(init.json).toEqual({ initializeUploadRequest: { owner: ORG } });
    expect(server.sent('PUT /dms-uploads/abc')[0]!.body).toBe('\u0001\u0002\u0003');
    expect(server.sent('POST /rest/posts')[0]!.json.content).toEqual({ media: { id: 'urn:li:image:C4E10AQ', altText: 'クロワッサン' } });
  });

  it('uploads several images, then posts them as multiImage content in order, each with its alt text', async () => {
    posting();
    let uploads = 0;
    server.routes['POST /rest/images'] = () => {
      const n = ++uploads;
      return { json: { value: { uploadUrlExpiresAt: 1_765_000_000_000, uploadUrl: `${server.url}/dms-uploads/${n}`, image: `urn:li:image:IMG${n}` } } };
    };
    server.routes['PUT /dms-uploads/:n'] = () => ({ status: 201 });
    const images = [1, 2, 3].map((n) => ({ data: new Uint8Array([n, n, n]), mimeType: 'image/png', alt: n === 2 ? '' : `パン ${n}` }));
    value(await connect().publish({ idempotencyKey: 'k5', text: '3種のパン', images, attempt: 1 }));
    expect(server.sent('PUT /dms-uploads/:n').map((r) => [r.path, r.body])).toEqual([
      ['/dms-uploads/1', '\u0001\u0001\u0001'],
      ['/dms-uploads/2', '\u0002\u0002\u0002'],
      ['/dms-uploads/3', '\u0003\u0003\u0003'],
    ]);
    const sent = server.sent('POST /rest/posts')[0]!.json;
    expect(sent.content).toEqual({
      multiImage: { images: [{ id: 'urn:li:image:IMG1', altText: 'パン 1' }, { id: 'urn:li:image:IMG2' }, { id: 'urn:li:image:IMG3', altText: 'パン 3' }] },
    });
    expect(sent.commentary).toBe('3種のパン');
  });

  it('a retry finds the post an earlier attempt created (commentary unescaped) and creates nothing', async () => {
    posting();
    server.routes['GET /rest/posts'] = () => ({
      json: {
        elements: [{ id: 'urn:li:share:9', author: ORG, commentary: '本日 \\(土\\) 休業', createdAt: NOW.getTime() - 60_000, lifecycleState: 'PUBLISHED' }],
        paging: { start: 0, count: 50 },
      },
    });
    expect(value(await connect().publish({ idempotencyKey: 'k3', text: '本日 (土) 休業', attempt: 2 }))).toMatchObject({
      remoteId: 'urn:li:share:9',
      alreadyExisted: true,
    });
    expect(server.sent('POST /rest/posts')).toHaveLength(0);
    const lookup = server.sent('GET /rest/posts')[0]!;
    expect(lookup.query.get('q')).toBe('author');
    expect(lookup.query.get('author')).toBe(ORG);
    expect(value(await connect().publish({ idempotencyKey: 'k4', text: '別の投稿', attempt: 2 }))).toMatchObject({ alreadyExisted: false });
  });

  it("reads the comments on the page's latest posts, and replies under a comment", async () => {
    server.routes['GET /rest/posts'] = () => ({
      json: {
        elements: [
          { id: 'urn:li:share:1', author: ORG, commentary: 'a', createdAt: 1 },
          { id: 'urn:li:ugcPost:2', author: ORG, commentary: 'b', createdAt: 2 },
        ],
      },
    });
    server.routes['GET /rest/socialActions/:target/comments'] = (_r, params) => ({
      json: {
        elements:
          params.target === 'urn:li:share:1'
            ? [
                {
                  commentUrn: 'urn:li:comment:(urn:li:activity:1,11)',
                  actor: 'urn:li:person:abc',
                  object: 'urn:li:activity:1',
                  message: { text: '予約できますか？' },
                  created: { time: NOW.getTime() - 3_600_000 },
                },
                {
                  commentUrn: 'urn:li:comment:(urn:li:activity:1,12)',
                  actor: ORG,
                  object: 'urn:li:activity:1',
                  message: { text: 'はい' },
                  created: { time: NOW.getTime() - 60_000 },
                },
              ]
            : [
                {
                  commentUrn: 'urn:li:comment:(urn:li:activity:2,21)',
                  actor: 'urn:li:person:def',
                  object: 'urn:li:activity:2',
                  message: { text: 'Great!' },
                  created: { time: NOW.getTime() - 1000 },
                },
              ],
      },
    });
    const page = value(await connect().readStream({ kind: 'mentions' }));
    expect(page.items.map((i) => [i.remoteId, i.author.handle, i.text])).toEqual([
      ['urn:li:comment:(urn:li:activity:2,21)', 'urn:li:person:def', 'Great!'],
      ['urn:li:comment:(urn:li:activity:1,11)', 'urn:li:person:abc', '予約できますか？'],
    ]);
    server.routes['POST /rest/socialActions/:target/comments'] = () => ({
      status: 201,
      json: { commentUrn: 'urn:li:comment:(urn:li:activity:1,13)', actor: ORG, message: { text: 'はい、どうぞ' }, created: { time: NOW.getTime() } },
    });
    const reply = value(
      await connect().publish({ idempotencyKey: 'k5', text: 'はい、どうぞ', replyTo: { remoteId: 'urn:li:comment:(urn:li:activity:1,11)' }, attempt: 1 }),
    );
    expect(reply).toMatchObject({ remoteId: 'urn:li:comment:(urn:li:activity:1,13)', alreadyExisted: false });
    const sent = server.sent('POST /rest/socialActions/:target/comments')[0]!;
    expect(sent.path).toBe(`/rest/socialActions/${encodeURIComponent('urn:li:comment:(urn:li:activity:1,11)')}/comments`);
    expect(sent.json).toEqual({
      actor: ORG,
      object: 'urn:li:activity:1',
      parentComment: 'urn:li:comment:(urn:li:activity:1,11)',
      message: { text: 'はい、どうぞ' },
    });
  });

  it('reads share statistics and followers', async () => {
    server.routes['GET /rest/organizationalEntityShareStatistics'] = () => ({
      json: {
        elements: [
          {
            organizationalEntity: ORG,
            share: 'urn:li:share:1',
            totalShareStatistics: {
              uniqueImpressionsCount: 90,
              shareCount: 2,
              engagement: 0.1,
              clickCount: 5,
              likeCount: 12,
              impressionCount: 140,
              commentCount: 3,
            },
          },
        ],
      },
    });
    server.routes['GET /rest/networkSizes/:urn'] = () => ({ json: { firstDegreeSize: 812 } });
    expect(value(await connect().postMetrics({ remoteId: 'urn:li:share:1' }))).toEqual({ views: 140, likes: 12, replies: 3, reposts: 2, quotes: 0 });
    const sent = server.sent('GET /rest/organizationalEntityShareStatistics')[0]!;
    expect(sent.query.get('organizationalEntity')).toBe(ORG);
    expect(sent.query.get('shares')).toBe('List(urn:li:share:1)');
    expect(value(await connect().accountMetrics())).toEqual({ followers: 812, following: null, posts: null });
    expect(server.sent('GET /rest/networkSizes/:urn')[0]!.query.get('edgeType')).toBe('COMPANY_FOLLOWED_BY_MEMBER');
  });

  it('refreshes an expiring token with the refresh token and stores the new one; a refused refresh is auth', async () => {
    server.routes['POST /oauth/v2/accessToken'] = () => ({
      json: { access_token: 'AQV-new'.padEnd(40, 'n'), expires_in: 5_184_000, refresh_token: 'R2', refresh_token_expires_in: 31_000_000 },
    });
    const credentials = { refreshToken: 'R1', clientId: 'client', clientSecret: 'secret', expiresAt: new Date(NOW.getTime() + 3600_000).toISOString() };
    value(await connect(credentials).verify());
    expect(Object.fromEntries(server.sent('POST /oauth/v2/accessToken')[0]!.form!)).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'R1',
      client_id: 'client',
      client_secret: 'secret',
    });
    expect(server.sent('GET /rest/organizations/:id')[0]!.headers.authorization).toBe(`Bearer ${'AQV-new'.padEnd(40, 'n')}`);
    expect(saved).toEqual([expect.objectContaining({ refreshToken: 'R2', expiresAt: new Date(NOW.getTime() + 5_184_000_000).toISOString() })]);
    server.routes['POST /oauth/v2/accessToken'] = () => ({
      status: 400,
      json: { error: 'invalid_grant', error_description: 'The provided authorization grant is invalid, expired or revoked' },
    });
    expect(await connect(credentials).verify()).toMatchObject({ ok: false, failure: { kind: 'auth' } });
  });

  it('turns errors into failure kinds; a 429 backs off without calling again', async () => {
    const cases: [number, unknown][] = [
      [401, { status: 401, serviceErrorCode: 65600, code: 'INVALID_ACCESS_TOKEN', message: 'Invalid access token' }],
      [
        403,
        { status: 403, serviceErrorCode: 100, code: 'ACCESS_DENIED', message: 'Not enough permissions to access: partnerApiPostsExternal.CREATE.20241101' },
      ],
      [422, { status: 422, message: 'ERROR :: /commentary :: length exceeds 3000' }],
      [503, { status: 503, message: 'Service Unavailable' }],
    ];
    const kinds = [{ kind: 'auth' }, { kind: 'permanent', code: 'permission_missing' }, { kind: 'permanent', code: 'rejected' }, { kind: 'transient' }];
    for (const [i, [status, json]] of cases.entries()) {
      server.routes['POST /rest/posts'] = () => ({ status, json });
      expect(await connect().publish({ idempotencyKey: 'e', text: 'hello', attempt: 1 })).toMatchObject({ ok: false, failure: kinds[i] });
    }
    server.routes['GET /rest/networkSizes/:urn'] = () => ({
      status: 429,
      json: { status: 429, message: 'Resource level throttle 1 DAY limit for calls to this resource is reached.' },
      headers: { 'retry-after': '120' },
    });
    const connector = connect();
    expect(await connector.accountMetrics()).toMatchObject({ ok: false, failure: { kind: 'rate_limited', retryAfterMs: 120_000 } });
    expect(await connector.accountMetrics()).toMatchObject({ ok: false, failure: { kind: 'rate_limited' } });
    expect(server.sent('GET /rest/networkSizes/:urn')).toHaveLength(1);
  });

  it('refuses before sending: empty, over 3 000 characters, more than 20 images', async () => {
    const connector = connect();
    const image = { data: new Uint8Array(1), mimeType: 'image/png', alt: '' };
    expect(await connector.publish({ idempotencyKey: 'a', text: ' ' })).toMatchObject({ ok: false, failure: { code: 'empty_text' } });
    expect(await connector.publish({ idempotencyKey: 'b', text: 'あ'.repeat(3001) })).toMatchObject({ ok: false, failure: { code: 'text_too_long' } });
    expect(await connector.publish({ idempotencyKey: 'c', text: 'x', images: Array.from({ length: 21 }, () => image) })).toMatchObject({
      ok: false,
      failure: { code: 'too_many_images' },
    });
    expect(server.requests).toHaveLength(0);
  });
});

describe('LinkedIn rules', () => {
  it('escapes every reserved little-text character and reads it back', () => {
    const text = 'a\\b|c{d}e@f[g]h(i)j<k>l#m*n_o~p';
    expect(escapeLittleText(text)).toBe('a\\\\b\\|c\\{d\\}e\\@f\\[g\\]h\\(i\\)j\\<k\\>l\\#m\\*n\\_o\\~p');
    expect(unescapeLittleText(escapeLittleText(text))).toBe(text);
  });

  it('reads profile and page addresses, refuses bare names', () => {
    expect(linkedinRules.parseIdentity('https://www.linkedin.com/in/Hanako-Tanaka/')).toEqual({
      ok: true,
      handle: 'hanako-tanaka',
      profileUrl: 'https://www.linkedin.com/in/hanako-tanaka',
    });
    expect(linkedinRules.parseIdentity('https://linkedin.com/company/acme-bakery')).toEqual({
      ok: true,
      handle: 'acme-bakery',
      profileUrl: 'https://www.linkedin.com/company/acme-bakery',
    });
    expect(linkedinRules.parseIdentity('hanako')).toMatchObject({ ok: false });
    expect(linkedinRules.authorKey('acme', 'https://www.linkedin.com/company/acme')).toBe('www.linkedin.com/company/acme');
    expect(linkedinRules.measureText('あ'.repeat(3000))).toMatchObject({ fits: true });
  });
});

describe('LinkedIn OAuth code flow', () => {
  const app = () => ({ clientId: '86abc', clientSecret: 'secret', authBase: server.url, apiBase: server.url });

  it('sends the member to the authorization page with the organization scopes', () => {
    const { url, state } = linkedinAuthorizeUrl(app(), 'https://chorus.example/api/channels/oauth/callback');
    const parsed = new URL(url);
    expect(parsed.pathname).toBe('/oauth/v2/authorization');
    expect(Object.fromEntries(parsed.searchParams)).toEqual({
      response_type: 'code',
      client_id: '86abc',
      redirect_uri: 'https://chorus.example/api/channels/oauth/callback',
      state,
      scope: LINKEDIN_SCOPES.join(' '),
    });
  });

  it('trades the code for tokens and lists the pages the member administers', async () => {
    server.routes['POST /oauth/v2/accessToken'] = () => ({
      json: { access_token: 'AQV', expires_in: 5_184_000, refresh_token: 'AQX', refresh_token_expires_in: 31_536_000, scope: LINKEDIN_SCOPES.join(',') },
    });
    expect(await exchangeLinkedinCode(app(), { code: 'c0de', redirectUri: 'https://chorus.example/cb' }, globalThis.fetch, NOW)).toEqual({
      accessToken: 'AQV',
      refreshToken: 'AQX',
      expiresAt: new Date(NOW.getTime() + 5_184_000_000).toISOString(),
    });
    expect(Object.fromEntries(server.sent('POST /oauth/v2/accessToken')[0]!.form!)).toEqual({
      grant_type: 'authorization_code',
      code: 'c0de',
      redirect_uri: 'https://chorus.example/cb',
      client_id: '86abc',
      client_secret: 'secret',
    });
    server.routes['GET /rest/organizationAcls'] = () => ({
      json: {
        elements: [
          { roleAssignee: 'urn:li:person:abc', state: 'APPROVED', role: 'ADMINISTRATOR', organization: 'urn:li:organization:2414183' },
          { roleAssignee: 'urn:li:person:abc', state: 'REQUESTED', role: 'ADMINISTRATOR', organization: 'urn:li:organization:555' },
        ],
      },
    });
    expect(await linkedinAdministeredPages(app(), 'AQV', globalThis.fetch)).toEqual(['2414183']);
    expect(server.sent('GET /rest/organizationAcls')[0]!.headers.authorization).toBe('Bearer AQV');
    server.routes['POST /oauth/v2/accessToken'] = () => ({
      status: 400,
      json: { error: 'invalid_request', error_description: 'Unable to retrieve access token: authorization code not found' },
    });
    await expect(exchangeLinkedinCode(app(), { code: 'old', redirectUri: 'https://chorus.example/cb' }, globalThis.fetch, NOW)).rejects.toBeInstanceOf(
      LinkedinTokenRejected,
    );
  });
});
