import { getOctokit } from '@actions/github';
import type { Octokit } from '../action/context.js';

/** One request as a fake GitHub sees it. */
export interface FakeRequest {
  method: string;
  path: string;
  body: Record<string, unknown> | undefined;
}

/** What the fake answers. */
export interface FakeResponse {
  status: number;
  body?: unknown;
}

/**
 * A real Octokit whose transport is `answer`, for unit tests of paths a stand-in cannot
 * reach (GraphQL mutations it lacks, custom roles). Records every request in `requests`.
 */
export function createFakeOctokit(answer: (request: FakeRequest) => FakeResponse): {
  octokit: Octokit;
  requests: FakeRequest[];
} {
  const requests: FakeRequest[] = [];
  const fetch = async (url: string | URL, init?: RequestInit): Promise<Response> => {
    const parsed = new URL(String(url));
    const request: FakeRequest = {
      method: (init?.method ?? 'GET').toUpperCase(),
      path: parsed.pathname + parsed.search,
      body: typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : undefined,
    };
    requests.push(request);
    const response = answer(request);
    const text = response.body === undefined ? null : JSON.stringify(response.body);
    return new Response(text, { status: response.status, headers: { 'content-type': 'application/json' } });
  };
  return { octokit: getOctokit('test-token', { baseUrl: 'https://api.github.invalid', request: { fetch } }), requests };
}
