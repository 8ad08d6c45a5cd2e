import { describe, expect, it } from '@jest/globals';
import { isImmutableTag, readPromotionTargets } from './target-tags.js';
import { resolveServiceImages } from './service-images.js';

describe('readPromotionTargets', () => {
  it('marks version and sha tags immutable and environment tags movable', () => {
    expect(readPromotionTargets(['v1.2.3', 'prod', 'sha-abc1234', '1.2.3-rc.1'], 'v1.2.3-rc.4')).toEqual([
      { tag: 'v1.2.3', immutable: true },
      { tag: 'prod', immutable: false },
      { tag: 'sha-abc1234', immutable: true },
      { tag: '1.2.3-rc.1', immutable: true },
    ]);
    expect(isImmutableTag('test')).toBe(false);
  });

  it.each([
    [[], 'v1', "Input 'target-tags' is empty"],
    [['prod', 'prod'], 'v1', "Target tag 'prod' is listed twice"],
    [['v1.2.3'], 'v1.2.3', "Target tag 'v1.2.3' is the source tag"],
    [['bad tag'], 'v1', "Input 'target-tags' is 'bad tag'"],
    [['prod'], '-x', "Input 'source-tag' is '-x'"],
  ])('rejects %j from %s', (targets, source, message) => {
    expect(() => readPromotionTargets(targets, source)).toThrow(message);
  });
});

describe('resolveServiceImages', () => {
  it('renders the pattern per service', () => {
    expect(resolveServiceImages(['api', 'worker'], '{registry}/{service}', 'ghcr.io/acme')).toEqual([
      { service: 'api', image: { host: 'ghcr.io', repository: 'acme/api' } },
      { service: 'worker', image: { host: 'ghcr.io', repository: 'acme/worker' } },
    ]);
  });

  it.each([
    [[], '{registry}/{service}', 'r.io', "Input 'services' is empty"],
    [['api', 'api'], '{registry}/{service}', 'r.io', "Service 'api' is listed twice"],
    [['API'], '{registry}/{service}', 'r.io', "Service name 'API' is not valid"],
    [['api'], '{registry}/{service}', '', "Input 'registry' is empty"],
    [['api'], '{registry}/{service}:latest', 'r.io', "Input 'image' must name a repository without tag"],
    [['api'], '{registry}/{team}/{service}', 'r.io', "uses unknown variable '{team}'"],
  ])('rejects %j with %s', (services, pattern, registry, message) => {
    expect(() => resolveServiceImages(services, pattern, registry)).toThrow(message);
  });
});
