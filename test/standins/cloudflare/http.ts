import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudflareApiError } from './envelope.js';

const MAX_BODY_BYTES = 1024 * 1024;

/** Reads a JSON request body (empty body → undefined), refusing bodies over 1 MiB. */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new CloudflareApiError(413, 6007, 'Request body is too large.');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new CloudflareApiError(400, 6007, 'Malformed JSON in request body');
  }
}

/** Listens on 127.0.0.1 (port 0 picks a free one) and returns the origin, e.g. `http://127.0.0.1:41234`. */
export async function listenOnLoopback(server: Server, port = 0): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Closes a server, dropping idle keep-alive sockets so close() does not wait for clients. */
export async function closeServer(server: Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
