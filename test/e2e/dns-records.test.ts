import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import Cloudflare from 'cloudflare';
import { ConfigurationError } from '@preview-actions/core/action';
import {
  deletePreviewRecords,
  findZoneId,
  formatOwnerComment,
  listOwnedRecords,
  upsertPreviewRecord,
} from '@preview-actions/core/dns';
import { startCloudflareStandIn, type CloudflareStandIn } from '../standins/cloudflare/server.js';

const TOKEN = 'dns-e2e-token';
const ZONE = 'preview.example.com';
const ALB = 'internal-previews-123.eu-west-1.elb.amazonaws.com';
const OWNER = { repo: 'octo-org/octo-repo', pr: 12 };

describe('DNS adapter against the Cloudflare stand-in', () => {
  let standIn: CloudflareStandIn;
  let client: Cloudflare;
  const zone = () => ({ client, zoneId: standIn.zoneId });
  const writes = () =>
    ['POST', 'PUT', 'PATCH', 'DELETE'].reduce(
      (sum, method) =>
        sum +
        [...standIn.state.counters].filter(([route]) => route.startsWith(`${method} `)).reduce((s, [, n]) => s + n, 0),
      0,
    );

  beforeAll(async () => {
    standIn = await startCloudflareStandIn({ token: TOKEN, zoneName: ZONE });
    client = new Cloudflare({ apiToken: TOKEN, baseURL: standIn.url, maxRetries: 2, timeout: 5000 });
  });

  afterAll(async () => {
    await standIn.close();
  });

  beforeEach(() => {
    standIn.state.reset();
  });

  it('creates a proxied CNAME marked with its owner, then leaves it alone when nothing changed', async () => {
    const first = await upsertPreviewRecord({ ...zone(), name: `pr-12.${ZONE}`, target: ALB, owner: OWNER });
    expect(first.action).toBe('created');
    const [record] = standIn.state.listRecords(standIn.zoneId);
    expect(record).toMatchObject({
      id: first.recordId,
      name: `pr-12.${ZONE}`,
      type: 'CNAME',
      content: ALB.toLowerCase(),
      proxied: true,
      comment: 'preview-actions:repo=octo-org/octo-repo;pr=12',
    });
    const before = writes();
    const second = await upsertPreviewRecord({ ...zone(), name: `PR-12.${ZONE}.`, target: `${ALB}.`, owner: OWNER });
    expect(second).toEqual({ action: 'unchanged', recordId: first.recordId });
    expect(writes()).toBe(before);
  });

  it('repoints its own record when the load balancer changes', async () => {
    const first = await upsertPreviewRecord({ ...zone(), name: `pr-12.${ZONE}`, target: ALB, owner: OWNER });
    const second = await upsertPreviewRecord({
      ...zone(),
      name: `pr-12.${ZONE}`,
      target: 'other-alb.elb.amazonaws.com',
      owner: OWNER,
    });
    expect(second).toEqual({ action: 'updated', recordId: first.recordId });
    expect(standIn.state.readRecord(standIn.zoneId, first.recordId).content).toBe('other-alb.elb.amazonaws.com');
  });

  it('never overwrites a record of that name it does not own', async () => {
    const foreign = standIn.state.createRecord(standIn.zoneId, {
      name: `pr-12.${ZONE}`,
      type: 'A',
      content: '192.0.2.1',
      comment: 'hand made',
    });
    const pasted = standIn.state.createRecord(standIn.zoneId, {
      name: `pr-13.${ZONE}`,
      type: 'CNAME',
      content: 'elsewhere.example.net',
      comment: formatOwnerComment({ repo: 'someone-else/repo', pr: 13 }),
    });
    await expect(upsertPreviewRecord({ ...zone(), name: `pr-12.${ZONE}`, target: ALB, owner: OWNER })).rejects.toThrow(
      new RegExp(`not made by preview-actions.*${foreign.id}`),
    );
    await expect(
      upsertPreviewRecord({ ...zone(), name: `pr-13.${ZONE}`, target: ALB, owner: { ...OWNER, pr: 13 } }),
    ).rejects.toBeInstanceOf(ConfigurationError);
    expect(standIn.state.readRecord(standIn.zoneId, foreign.id).content).toBe('192.0.2.1');
    expect(standIn.state.readRecord(standIn.zoneId, pasted.id).content).toBe('elsewhere.example.net');
  });

  it('refuses to pick between several owned records of one name and lists their ids', async () => {
    const comment = formatOwnerComment(OWNER);
    const a = standIn.state.createRecord(standIn.zoneId, {
      name: `pr-12.${ZONE}`,
      type: 'A',
      content: '192.0.2.1',
      comment,
    });
    const b = standIn.state.createRecord(standIn.zoneId, {
      name: `pr-12.${ZONE}`,
      type: 'A',
      content: '192.0.2.2',
      comment,
    });
    await expect(upsertPreviewRecord({ ...zone(), name: `pr-12.${ZONE}`, target: ALB, owner: OWNER })).rejects.toThrow(
      `has 2 preview records (ids ${a.id}, ${b.id})`,
    );
  });

  it('reconciles when a concurrent deploy creates the record between its read and its create', async () => {
    const createRecord = standIn.state.createRecord.bind(standIn.state);
    let raced = false;
    standIn.state.createRecord = (zoneId, input) => {
      if (!raced) {
        raced = true;
        createRecord(zoneId, { ...input, content: 'stale-alb.elb.amazonaws.com' });
      }
      return createRecord(zoneId, input);
    };
    try {
      const result = await upsertPreviewRecord({ ...zone(), name: `pr-12.${ZONE}`, target: ALB, owner: OWNER });
      expect(raced).toBe(true);
      expect(result.action).toBe('updated');
      const records = standIn.state.listRecords(standIn.zoneId);
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ id: result.recordId, content: ALB.toLowerCase() });
    } finally {
      standIn.state.createRecord = createRecord;
    }
  });

  it('recreates the record when it is deleted between its read and its update', async () => {
    const first = await upsertPreviewRecord({ ...zone(), name: `pr-12.${ZONE}`, target: ALB, owner: OWNER });
    const overwriteRecord = standIn.state.overwriteRecord.bind(standIn.state);
    standIn.state.overwriteRecord = (zoneId, id, input) => {
      standIn.state.deleteRecord(zoneId, id);
      return overwriteRecord(zoneId, id, input);
    };
    try {
      const second = await upsertPreviewRecord({
        ...zone(),
        name: `pr-12.${ZONE}`,
        target: 'new-alb.elb.amazonaws.com',
        owner: OWNER,
      });
      expect(second.action).toBe('created');
      expect(second.recordId).not.toBe(first.recordId);
      expect(standIn.state.listRecords(standIn.zoneId).map((r) => r.content)).toEqual(['new-alb.elb.amazonaws.com']);
    } finally {
      standIn.state.overwriteRecord = overwriteRecord;
    }
  });

  it('finds the zone holding a preview domain, walking up to the parent zone', async () => {
    expect(await findZoneId(client, ZONE)).toBe(standIn.zoneId);
    expect(await findZoneId(client, `pr.${ZONE}.`)).toBe(standIn.zoneId);
    await expect(findZoneId(client, 'example.org')).rejects.toBeInstanceOf(ConfigurationError);
  });

  it('lists and deletes only the records this repository owns, across pages', async () => {
    for (let pr = 1; pr <= 130; pr += 1) {
      standIn.state.createRecord(standIn.zoneId, {
        name: `pr-${pr}.${ZONE}`,
        type: 'CNAME',
        content: ALB,
        proxied: true,
        comment: formatOwnerComment({ repo: 'Octo-Org/Octo-Repo', pr }),
      });
    }
    const other = standIn.state.createRecord(standIn.zoneId, {
      name: `pr-1.other.${ZONE}`,
      type: 'CNAME',
      content: ALB,
      comment: formatOwnerComment({ repo: 'octo-org/octo-repo-2', pr: 1 }),
    });
    const lookalike = standIn.state.createRecord(standIn.zoneId, {
      name: `x.${ZONE}`,
      type: 'CNAME',
      content: ALB,
      comment: 'preview-actions:repo=octo-org/octo-repo;pr=1 (copied)',
    });

    const owned = await listOwnedRecords(zone(), { repo: 'octo-org/octo-repo' });
    expect(owned).toHaveLength(130);
    expect(new Set(owned.map((r) => r.pr)).size).toBe(130);
    expect(standIn.state.counters.get('GET /zones/{zone_id}/dns_records') ?? 0).toBeGreaterThanOrEqual(2);

    const deleted = await deletePreviewRecords(zone(), { repo: 'octo-org/octo-repo', pr: 7 });
    expect(deleted).toHaveLength(1);
    expect(standIn.state.listRecords(standIn.zoneId).some((r) => r.name === `pr-7.${ZONE}`)).toBe(false);

    const rest = await deletePreviewRecords(zone(), { repo: 'octo-org/octo-repo' });
    expect(rest).toHaveLength(129);
    expect(
      standIn.state
        .listRecords(standIn.zoneId)
        .map((r) => r.id)
        .sort(),
    ).toEqual([other.id, lookalike.id].sort());
  });

  it('treats a record deleted meanwhile as deleted', async () => {
    const { recordId } = await upsertPreviewRecord({ ...zone(), name: `pr-12.${ZONE}`, target: ALB, owner: OWNER });
    const deleteRecord = standIn.state.deleteRecord.bind(standIn.state);
    standIn.state.deleteRecord = (zoneId, id) => {
      deleteRecord(zoneId, id);
      return deleteRecord(zoneId, id);
    };
    try {
      await expect(deletePreviewRecords(zone(), OWNER)).resolves.toEqual([recordId]);
    } finally {
      standIn.state.deleteRecord = deleteRecord;
    }
  });

  it('rides out a rate limit through the SDK retries', async () => {
    standIn.state.rateLimit = { remaining: 1, retryAfterSeconds: 0 };
    const result = await upsertPreviewRecord({ ...zone(), name: `pr-12.${ZONE}`, target: ALB, owner: OWNER });
    expect(result.action).toBe('created');
  });
});
