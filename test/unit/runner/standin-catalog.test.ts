import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../harness/paths.js';
import { standinCatalog } from '../../runner/standins/catalog.js';
import { exampleStep } from '../../runner/standins/example-job.js';

/** Every `uses:` of a third-party action in the shipped templates and the release composite. */
function thirdPartyUses(): string[] {
  const dir = join(repoRoot, '.github', 'workflow-templates');
  const files = [
    ...readdirSync(dir)
      .filter((f) => f.endsWith('.yml'))
      .map((f) => join(dir, f)),
    join(repoRoot, 'actions', 'release', 'action.yml'),
  ];
  const uses = files.flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/uses:\s*([\w.-]+\/[\w.-]+)@/g)].map((m) => m[1]!),
  );
  return [...new Set(uses.filter((u) => !u.startsWith('org/preview-actions')))].sort();
}

describe('the stand-in catalog', () => {
  it('has a stand-in for every third-party action the templates use', () => {
    expect(thirdPartyUses().filter((u) => !(u in standinCatalog))).toEqual([]);
    expect(thirdPartyUses().length).toBeGreaterThan(0);
  });

  it.each(Object.keys(standinCatalog))('%s refuses an input it does not implement, naming it', async (name) => {
    const result = await standinCatalog[name]!(exampleStep(`${name}@v1`, { 'no-such-input': 'x' }));
    expect(result).toEqual({
      outcome: 'failure',
      error: expect.stringContaining(`${name} stand-in: input 'no-such-input' is not implemented`),
    });
  });

  it('setup-buildx reports a builder', async () => {
    const result = await standinCatalog['docker/setup-buildx-action']!(
      exampleStep('docker/setup-buildx-action@v3', {}),
    );
    expect(result).toMatchObject({
      outcome: 'success',
      outputs: { driver: 'docker-container', status: 'running', platforms: 'linux/amd64' },
    });
  });

  it('build-push refuses several platforms and a push without tags', async () => {
    const build = standinCatalog['docker/build-push-action']!;
    expect(
      await build(exampleStep('docker/build-push-action@v6', { platforms: 'linux/amd64,linux/arm64' })),
    ).toMatchObject({
      outcome: 'failure',
      error: expect.stringContaining("input 'platforms' is implemented for one platform"),
    });
    expect(await build(exampleStep('docker/build-push-action@v6', { push: 'true' }))).toEqual({
      outcome: 'failure',
      error: 'tag is needed when pushing to registry',
    });
  });
});
