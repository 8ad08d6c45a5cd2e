import { describe, expect, it } from '@jest/globals';
import { createFakeOctokit } from '../github/fake-github.test-helper.js';
import { createRecordingLogger } from '../testing/index.js';
import { describeUnrecordedPromotion, readRecordedPreviousDigests, startPromotionRecord } from './record-promotion.js';
import type { PromoteReleaseResult } from './promote-release.js';

const REPO = { owner: 'octo-org', repo: 'octo-repo' };
const TARGETS = [
  { tag: 'v1.2.3', immutable: true },
  { tag: 'prod', immutable: false },
];

describe('promotion records', () => {
  it('records the previous digests of each environment before the first write, in progress', async () => {
    const { octokit, requests } = createFakeOctokit((r) =>
      r.method === 'POST' && r.path.endsWith('/deployments')
        ? { status: 201, body: { id: 7 } }
        : { status: 201, body: {} },
    );
    const result = {
      services: [{ service: 'api', image: 'r/api', digest: 'sha256:new', plan: [] }],
      previousDigests: { api: { prod: 'sha256:old' } },
      rollout: [],
      deployed: false,
      rolledBack: false,
      rollbackRollout: [],
    } as PromoteReleaseResult;
    const record = await startPromotionRecord({
      octokit: async () => octokit,
      repo: REPO,
      sourceTag: 'v1.2.3-rc.1',
      targets: TARGETS,
      log: createRecordingLogger(),
      result,
      logUrl: 'https://github.com/run/1',
    });
    expect([...record.ids]).toEqual([['prod', 7]]);
    expect(requests[0]!.body).toMatchObject({
      ref: 'v1.2.3',
      environment: 'prod',
      payload: { digests: { api: 'sha256:new' }, previousDigests: { api: 'sha256:old' } },
    });
    expect(requests[1]!.body).toMatchObject({ state: 'in_progress' });
  });

  it('a re-run reads the previous digests from the newest deployment of this version that has them', async () => {
    const { octokit, requests } = createFakeOctokit(() => ({
      status: 200,
      body: [
        { id: 3, payload: { digests: { api: 'sha256:new' }, previousDigests: { api: 'sha256:older' } } },
        { id: 9, payload: { digests: { api: 'sha256:new' }, previousDigests: { api: 'sha256:old' } } },
        { id: 11, payload: { digests: { api: 'sha256:new' }, previousDigests: {} } },
      ],
    }));
    const previous = await readRecordedPreviousDigests({
      octokit: async () => octokit,
      repo: REPO,
      sourceTag: 'v1.2.3-rc.1',
      targets: TARGETS,
      log: createRecordingLogger(),
    });
    expect(previous).toEqual({ api: { prod: 'sha256:old' } });
    expect(requests[0]!.path).toBe('/repos/octo-org/octo-repo/deployments?environment=prod&ref=v1.2.3&per_page=20');
  });

  it('only warns when the records cannot be read', async () => {
    const { octokit } = createFakeOctokit(() => ({ status: 403, body: { message: 'Resource not accessible' } }));
    const log = createRecordingLogger();
    const previous = await readRecordedPreviousDigests({
      octokit: async () => octokit,
      repo: REPO,
      sourceTag: 'v1.2.3-rc.1',
      targets: TARGETS,
      log,
    });
    expect(previous).toEqual({});
    expect(log.lines).toEqual([
      'warning Could not read earlier records of this promotion (HTTP 403); a re-run can only roll back tags it moves itself',
    ]);
  });

  it('words the warning from what GitHub answered: the permission for 403, the ref for 422, no guess otherwise', () => {
    expect(describeUnrecordedPromotion({ status: 403 }, 'v1.2.3')).toBe(
      "Could not record the promotion as a GitHub Deployment (HTTP 403): the token may not create Deployments; give it 'deployments: write'",
    );
    expect(describeUnrecordedPromotion({ status: 422 }, 'v1.2.3')).toBe(
      "Could not record the promotion as a GitHub Deployment (HTTP 422): GitHub does not know 'v1.2.3' as a git ref of this repository; push that tag",
    );
    expect(describeUnrecordedPromotion(new Error('socket hang up'), 'v1.2.3')).toBe(
      'Could not record the promotion as a GitHub Deployment (socket hang up)',
    );
  });
});
