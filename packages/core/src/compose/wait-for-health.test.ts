import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { ManualClock } from '../action/clock.js';
import { waitForHealth } from './wait-for-health.js';

let server: Server;
let url = '';
let answers: number[] = [];

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(answers.shift() ?? 200).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/health`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('waitForHealth against a real HTTP server', () => {
  it('keeps polling through 503s until a 200', async () => {
    answers = [503, 503, 200];
    const result = await waitForHealth(url, { clock: new ManualClock(), timeoutMs: 60_000, intervalMs: 1000 });
    expect(result).toEqual({ healthy: true, last: 'HTTP 200', attempts: 3 });
  });

  it('gives up at the deadline and says what it last saw', async () => {
    answers = Array(100).fill(500);
    const result = await waitForHealth(url, { clock: new ManualClock(), timeoutMs: 5_000, intervalMs: 1000 });
    expect(result.healthy).toBe(false);
    expect(result.last).toBe('HTTP 500');
    expect(result.attempts).toBe(6);
  });

  it('reports a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const address = closed.address();
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const port = typeof address === 'object' && address ? address.port : 0;
    const result = await waitForHealth(`http://127.0.0.1:${port}/health`, { clock: new ManualClock(), timeoutMs: 0 });
    expect(result.healthy).toBe(false);
    expect(result.last).toMatch(/ECONNREFUSED/);
  });
});
