import { connect } from 'node:net';

/** The HTTP status a GET to `url` answers with, or undefined when nothing answers in time. */
export async function probeHttp(url: string, timeoutMs = 1000): Promise<number | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    await response.body?.cancel();
    return response.status;
  } catch {
    return undefined;
  }
}

/** True when a Redis server at `redisUrl` answers PING with PONG. */
export async function probeRedis(redisUrl: string, timeoutMs = 1000): Promise<boolean> {
  const { hostname, port } = new URL(redisUrl);
  return new Promise((resolve) => {
    let reply = '';
    const socket = connect({ host: hostname, port: Number(port) });
    const finish = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG'));
    });
  });
}

/**
 * True when something accepts a TCP connection on the loopback port. Used for the stand-ins and the fault
 * proxy, whose request logs and counters tests assert on: a bare connection shows up in neither.
 */
export async function probeTcp(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const finish = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}
