import { createServer } from 'node:net';

/**
 * Asks the kernel for `count` distinct free loopback ports (all held open at once, so none repeats). Only for programs that must be told their port before they
 * start (docker-registry, moto, redis); our own servers listen on port 0 directly.
 */
export async function findFreePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  try {
    return await Promise.all(
      servers.map(
        (server) =>
          new Promise<number>((resolve, reject) => {
            server.once('error', reject);
            server.listen(0, '127.0.0.1', () => {
              const address = server.address();
              if (typeof address === 'object' && address) resolve(address.port);
              else reject(new Error('the kernel gave no free port'));
            });
          }),
      ),
    );
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}
