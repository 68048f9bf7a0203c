import { createHash } from 'node:crypto';
import { cassette, reset } from './common.ts';

const BASE = 'https://api.github.com';
const REPO = 'https://api.github.com/repos/octocat/Hello-World';
const sha = (seed: string) => createHash('sha1').update(seed).digest('hex');

function user(login: string, id: number, nodeId: string) {
  return {
    login,
    id,
    node_id: nodeId,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url: `https://api.github.com/users/${login}`,
    html_url: `https://github.com/${login}`,
    followers_url: `https://api.github.com/users/${login}/followers`,
    following_url: `https://api.github.com/users/${login}/following{/other_user}`,
    gists_url: `https://api.github.com/users/${login}/gists{/gist_id}`,
    starred_url: `https://api.github.com/users/${login}/starred{/owner}{/repo}`,
    subscriptions_url: `https://api.github.com/users/${login}/subscriptions`,
    organizations_url: `https://api.github.com/users/${login}/orgs`,
    repos_url: `https://api.github.com/users/${login}/repos`,
    events_url: `https://api.github.com/users/${login}/events{/privacy}`,
    received_events_url: `https://api.github.com/users/${login}/received_events`,
    type: 'User',
    user_view_type: 'public',
    site_admin: false,
  };
}
const octocat = user('octocat', 583231, 'MDQ6VXNlcjU4MzIzMQ==');
const spaceghost = user('Spaceghost', 251370, 'MDQ6VXNlcjI1MTM3MA==');
const cameron = user('cameronmcefee', 53, 'MDQ6VXNlcjUz');
const webflow = user('web-flow', 19864447, 'MDQ6VXNlcjE5ODY0NDQ3');
const monalisa = user('monalisa', 2, 'MDQ6VXNlcjI=');

interface Spec {
  sha: string;
  message: string;
  author: { name: string; email: string; date: string };
  committer: { name: string; email: string; date: string };
  authorUser: ReturnType<typeof user> | null;
  committerUser: ReturnType<typeof user> | null;
  parents: string[];
  verified?: boolean;
}

function commit(s: Spec) {
  return {
    sha: s.sha,
    node_id: `C_kwDOABPHjd${Buffer.from(s.sha.slice(0, 18), 'hex').toString('base64').replace(/=+$/, '')}`,
    commit: {
      author: s.author,
      committer: s.committer,
      message: s.message,
      tree: { sha: sha(`tree ${s.sha}`), url: `${REPO}/git/trees/${sha(`tree ${s.sha}`)}` },
      url: `${REPO}/git/commits/${s.sha}`,
      comment_count: 0,
      verification: s.verified
        ? { verified: true, reason: 'valid', signature: '-----BEGIN PGP SIGNATURE-----\n\nwsBcBAABCAAQBQJnhmk/CRC1aQ7uu5UhlAAAdHIIAJ3kq1\n=t6Gb\n-----END PGP SIGNATURE-----\n', payload: null, verified_at: s.committer.date }
        : { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    },
    url: `${REPO}/commits/${s.sha}`,
    html_url: `https://github.com/octocat/Hello-World/commit/${s.sha}`,
    comments_url: `${REPO}/commits/${s.sha}/comments`,
    author: s.authorUser,
    committer: s.committerUser,
    parents: s.parents.map((p) => ({ sha: p, url: `${REPO}/commits/${p}`, html_url: `https://github.com/octocat/Hello-World/commit/${p}` })),
  };
}

const octo = { name: 'The Octocat', email: 'octocat@github.com' };
const gh = { name: 'GitHub', email: 'noreply@github.com' };
// The three commits Hello-World really has, then five later ones written for this example.
const first = '553c2077f0edc3d5dc5d17262f6aa498e69d6f8e';
const spaceghostFix = '762941318ee16e59dabbacb1b4049eec22f0d303';
const merge6 = '7fd1a60b01f91b314f59955a4e4d4e80d8edf11d';
const readme = sha('vaultline example: Update README');
const attributes = sha('vaultline example: Add .gitattributes');
const typo = sha('vaultline example: Fix typo in README');
const mergeTypo = sha('vaultline example: Merge branch docs/typo');
const license = sha('vaultline example: Bump year in LICENSE');

const commits: Spec[] = [
  {
    sha: license,
    message: 'Bump year in LICENSE\n\n- 2024 → 2025\n- keep the same copyright holder\n\nSigned-off-by: The Octocat <octocat@github.com>',
    author: { ...octo, date: '2025-01-14T09:30:12Z' },
    committer: { ...gh, date: '2025-01-14T09:30:12Z' },
    authorUser: octocat,
    committerUser: webflow,
    parents: [mergeTypo],
    verified: true,
  },
  {
    sha: mergeTypo,
    message: "Merge branch 'docs/typo'",
    author: { ...octo, date: '2025-01-10T16:20:00Z' },
    committer: { ...octo, date: '2025-01-10T16:20:00Z' },
    authorUser: octocat,
    committerUser: octocat,
    parents: [attributes, typo],
  },
  {
    sha: typo,
    message: 'Fix typo in README',
    author: { name: 'Mona Lisa Octocat', email: 'mona@github.com', date: '2025-01-09T11:02:44Z' },
    committer: { name: 'Mona Lisa Octocat', email: 'mona@github.com', date: '2025-01-09T11:02:44Z' },
    authorUser: monalisa,
    committerUser: monalisa,
    parents: [readme],
  },
  {
    sha: attributes,
    message: 'Add .gitattributes\n\nNormalise line endings so Windows checkouts stop showing every file as changed.',
    author: { name: 'Build Bot', email: 'build-bot@ci.example.invalid', date: '2024-12-02T08:45:31Z' },
    committer: { name: 'Build Bot', email: 'build-bot@ci.example.invalid', date: '2024-12-02T08:45:31Z' },
    authorUser: null,
    committerUser: null,
    parents: [readme],
  },
  {
    sha: readme,
    message: 'Update README\n\nSay what this repository is for.\n\nCo-authored-by: Mona Lisa Octocat <mona@github.com>',
    author: { ...octo, date: '2024-11-05T14:12:09Z' },
    committer: { ...gh, date: '2024-11-05T14:12:09Z' },
    authorUser: octocat,
    committerUser: webflow,
    parents: [merge6],
  },
  {
    sha: merge6,
    message: 'Merge pull request #6 from Spaceghost/patch-1\n\nNew line at end of file.',
    author: { name: 'The Octocat', email: 'octocat@nowhere.com', date: '2012-03-06T23:06:50Z' },
    committer: { name: 'The Octocat', email: 'octocat@nowhere.com', date: '2012-03-06T23:06:50Z' },
    authorUser: octocat,
    committerUser: octocat,
    parents: [first, spaceghostFix],
  },
  {
    sha: spaceghostFix,
    message: 'New line at end of file. --Signed off by Spaceghost',
    author: { name: 'Johnneylee Jack Rollins', email: 'Johnneylee.rollins@gmail.com', date: '2011-09-14T04:42:41Z' },
    committer: { name: 'Johnneylee Jack Rollins', email: 'Johnneylee.rollins@gmail.com', date: '2011-09-14T04:42:41Z' },
    authorUser: spaceghost,
    committerUser: spaceghost,
    parents: [first],
  },
  {
    sha: first,
    message: 'first commit',
    author: { name: 'cameronmcefee', email: 'cameron@github.com', date: '2011-01-26T19:06:08Z' },
    committer: { name: 'cameronmcefee', email: 'cameron@github.com', date: '2011-01-26T19:06:08Z' },
    authorUser: cameron,
    committerUser: cameron,
    parents: [],
  },
];

const headers = (remaining: number, extra: Record<string, string> = {}) => ({
  'content-type': 'application/json; charset=utf-8',
  date: 'Wed, 15 Jan 2025 12:00:00 GMT',
  'cache-control': 'public, max-age=60, s-maxage=60',
  etag: `W/"${sha(`etag ${remaining}`)}"`,
  'x-github-api-version-selected': '2022-11-28',
  'x-ratelimit-limit': '60',
  'x-ratelimit-remaining': String(remaining),
  'x-ratelimit-reset': '1736946000',
  'x-ratelimit-used': String(60 - remaining),
  'x-ratelimit-resource': 'core',
  'x-github-request-id': `C0DE:${remaining}A1B:2F3C4D:30E1F2:67879F00`,
  ...extra,
});
const pretty = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
const requestHeaders = { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' };
const link = (page: number) => `https://api.github.com/repositories/1296269/commits?per_page=5&page=${page}`;

reset('github');
cassette(
  'github',
  BASE,
  { path: '/repos/octocat/Hello-World/commits', query: { per_page: 5 } },
  { headers: headers(59, { link: `<${link(2)}>; rel="next", <${link(2)}>; rel="last"` }), body: pretty(commits.slice(0, 5).map(commit)) },
  requestHeaders,
);
cassette(
  'github',
  BASE,
  { path: '/repositories/1296269/commits', query: { per_page: 5, page: 2 } },
  { headers: headers(58, { link: `<${link(1)}>; rel="prev", <${link(1)}>; rel="first"` }), body: pretty(commits.slice(5).map(commit)) },
  requestHeaders,
);
// The next incremental run asks from the newest commit date landed (inclusive): the boundary commit again.
cassette(
  'github',
  BASE,
  { path: '/repos/octocat/Hello-World/commits', query: { since: '2025-01-14T09:30:12Z', per_page: 5 } },
  { headers: headers(57), body: pretty(commits.slice(0, 1).map(commit)) },
  requestHeaders,
);
