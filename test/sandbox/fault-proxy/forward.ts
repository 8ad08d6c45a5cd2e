import { request, type Agent, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';

// `expect` as well: this proxy's own server has already answered 100-continue to the client
const NOT_FORWARDED = new Set([
  'expect',
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'te',
  'trailer',
  'upgrade',
]);
const UPSTREAM_TIMEOUT_MS = 120_000;

/**
 * Sends the call on to the upstream origin unchanged (method, path, query, headers including Host, so AWS
 * SigV4 signatures over Host still verify) and streams both bodies. A buffered body replaces the request
 * stream when the proxy had to read it to name the operation. With `replaceAnswer`, the upstream's reply is
 * read to its end and dropped, and `replaceAnswer` answers the client instead.
 */
export function forwardRequest(
  upstream: URL,
  agent: Agent,
  req: IncomingMessage,
  res: ServerResponse,
  bufferedBody?: Buffer,
  replaceAnswer?: () => void,
): void {
  const outgoing = request({
    protocol: upstream.protocol,
    hostname: upstream.hostname,
    port: upstream.port,
    method: req.method,
    path: req.url,
    headers: withoutHopByHop(req.headers),
    agent,
    timeout: UPSTREAM_TIMEOUT_MS,
  });
  outgoing.on('response', (answer) => {
    if (replaceAnswer) {
      answer.on('end', replaceAnswer);
      answer.resume();
      return;
    }
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, withoutHopByHop(answer.headers));
    answer.pipe(res);
    answer.on('error', () => res.destroy());
  });
  outgoing.on('timeout', () => outgoing.destroy(new Error(`upstream ${upstream.host} did not answer in time`)));
  outgoing.on('error', (error) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const body = JSON.stringify({ message: `fault proxy: upstream ${upstream.host} failed: ${error.message}` });
    res.writeHead(502, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
    res.end(body);
  });
  res.on('close', () => {
    if (!res.writableFinished) outgoing.destroy();
  });
  if (bufferedBody) {
    outgoing.end(bufferedBody);
  } else {
    req.pipe(outgoing);
  }
}

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !NOT_FORWARDED.has(name)));
}
