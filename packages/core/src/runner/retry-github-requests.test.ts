import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOctokitFactory } from './index.js';

/** Answers each path from a script: the next status per call, then 200. */
const script = new Map<string, { status: number; headers?: Record<string, string>; message?: string }[]>();
const calls = new Map<string, number>();
let server: Server;
let baseUrl = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    const key = `${req.method} ${req.url}`;
    calls.set(key, (calls.get(key) ?? 0) + 1);
    const next = script.get(key)?.shift();
    res.writeHead(next?.status ?? 200, { 'content-type': 'application/json', ...next?.headers });
    res.end(JSON.stringify(next ? { message: next.message ?? 'failure' } : { id: 1, login: 'bot', body: 'ok' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const octokit = () => createOctokitFactory({ GITHUB_API_URL: baseUrl })('ghs_test');

describe('the GitHub client built for actions', () => {
  it('retries a read after a 502', async () => {
    script.set('GET /user', [{ status: 502 }]);
    const { data } = await (await octokit()).rest.users.getAuthenticated();
    expect(data.login).toBe('bot');
    expect(calls.get('GET /user')).toBe(2);
  });

  it('never retries a REST POST, whose answer may have been lost after it created something', async () => {
    script.set('POST /repos/o/r/issues/1/comments', [{ status: 502 }]);
    const client = await octokit();
    await expect(
      client.rest.issues.createComment({ owner: 'o', repo: 'r', issue_number: 1, body: 'x' }),
    ).rejects.toMatchObject({
      status: 502,
    });
    expect(calls.get('POST /repos/o/r/issues/1/comments')).toBe(1);
  });

  it('retries a secondary rate limit after its retry-after, POSTs included', async () => {
    script.set('POST /repos/o/r/issues/2/comments', [
      { status: 403, headers: { 'retry-after': '1' }, message: 'You have exceeded a secondary rate limit' },
    ]);
    const client = await octokit();
    await client.rest.issues.createComment({ owner: 'o', repo: 'r', issue_number: 2, body: 'x' });
    expect(calls.get('POST /repos/o/r/issues/2/comments')).toBe(2);
  });

  it('does not retry a 403 that is a missing permission', async () => {
    script.set('PATCH /repos/o/r/issues/comments/9', [
      { status: 403, message: 'Resource not accessible by integration' },
    ]);
    const client = await octokit();
    await expect(
      client.rest.issues.updateComment({ owner: 'o', repo: 'r', comment_id: 9, body: 'x' }),
    ).rejects.toMatchObject({
      status: 403,
    });
    expect(calls.get('PATCH /repos/o/r/issues/comments/9')).toBe(1);
  });
});
