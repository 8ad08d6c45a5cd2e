import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '../action/errors.js';
import { readDeployedFacts } from './environment-facts.js';

const empty = { urls: '', services: '', expiresAt: '', estimatedCostPerDay: '' };

describe('readDeployedFacts', () => {
  it('merges urls and services by name, deriving health links from health-path', () => {
    const facts = readDeployedFacts({
      urls: '{"api":"https://pr-7.example.com/api","admin":"https://pr-7.example.com/admin"}',
      services:
        '[{"name":"api","health-path":"/healthz","url":"https://pr-7.example.com/api/","status":"running"},"worker"]',
      expiresAt: '2030-01-02T03:04:05Z',
      estimatedCostPerDay: '3.4567',
    });
    expect(facts.services).toEqual([
      {
        name: 'api',
        url: 'https://pr-7.example.com/api',
        healthUrl: 'https://pr-7.example.com/api/healthz',
        status: 'running',
      },
      { name: 'worker' },
      { name: 'admin', url: 'https://pr-7.example.com/admin' },
    ]);
    expect(facts.expiresAt?.toISOString()).toBe('2030-01-02T03:04:05.000Z');
    expect(facts.costPerDayUsd).toBeCloseTo(3.4567);
  });

  it('accepts the array form of urls and camelCase keys', () => {
    const facts = readDeployedFacts({
      ...empty,
      urls: '[{"service":"api","url":"https://a.example.com","healthUrl":"https://a.example.com/h","logsUrl":"https://logs.example.com"}]',
    });
    expect(facts.services).toEqual([
      {
        name: 'api',
        url: 'https://a.example.com',
        healthUrl: 'https://a.example.com/h',
        logsUrl: 'https://logs.example.com',
      },
    ]);
  });

  it("reads deploy-pr-env's services object, keyed by service", () => {
    const facts = readDeployedFacts({
      ...empty,
      urls: '{"api":"https://pr-3.example.com/"}',
      services:
        '{"api":{"service-name":"pr-3-api","image":"x@sha256:1","action":"created","health-path":"/up"},"worker":{}}',
    });
    expect(facts.services).toEqual([
      { name: 'api', url: 'https://pr-3.example.com/', healthUrl: 'https://pr-3.example.com/up' },
      { name: 'worker' },
    ]);
  });

  it('reads empty inputs as no facts', () => {
    expect(readDeployedFacts(empty)).toEqual({ services: [] });
  });

  it.each([
    ['urls that are not JSON', { urls: '{api: x}' }, /Input 'urls' is not JSON/],
    ['services that are a number', { services: '5' }, /Input 'services' must be a JSON object/],
    ['a service name with markdown', { services: '["api](javascript:x)"]' }, /names service 'api\]\(javascript:x\)'/],
    ['a url that is a number', { urls: '{"api":5}' }, /maps 'api' to a non-string/],
    ['a date that is not ISO', { expiresAt: 'tomorrow' }, /Input 'expires-at' is 'tomorrow'/],
    ['a negative cost', { estimatedCostPerDay: '-1' }, /Input 'estimated-cost-per-day' is '-1'/],
    ['a cost in exponent form', { estimatedCostPerDay: '1e308' }, /estimated-cost-per-day/],
  ])('refuses %s with a ConfigurationError', (_what, change, message) => {
    const act = () => readDeployedFacts({ ...empty, ...change });
    expect(act).toThrow(ConfigurationError);
    expect(act).toThrow(message);
  });

  it('refuses more services than fit in a comment', () => {
    const services = JSON.stringify(Array.from({ length: 101 }, (_, i) => `s${i}`));
    expect(() => readDeployedFacts({ ...empty, services })).toThrow(/101 services: at most 100/);
  });
});
