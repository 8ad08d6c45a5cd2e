// One "container" of the compose host stand-in (see README.md). Plain JavaScript so it starts without a loader.
// argv[2]: the container's name (so a recycled pid is never taken for it); argv[3]: JSON
// { image, digest, behaviour, ports: [{ hostIp, published }] }.
// It prints one line on stdout once it is started ("started", or "error <why>") and never writes there again.
import { createServer } from 'node:http';
import { setInterval, setTimeout } from 'node:timers';

const name = process.argv[2];
const config = JSON.parse(process.argv[3]);
const servers = [];

function report(line) {
  process.stdout.write(`${line}\n`);
}

function serve(status) {
  return Promise.all(
    config.ports.map(
      (port) =>
        new Promise((resolve, reject) => {
          const server = createServer((request, response) => {
            response.setHeader('x-sandbox-image', `${config.image}@${config.digest}`);
            const path = new URL(request.url ?? '/', 'http://container').pathname;
            // the sandbox app's health path is /health; anything else is not found
            response.statusCode = path === '/health' ? status : 404;
            response.end(path === '/health' ? (status === 200 ? 'ok\n' : 'unhealthy\n') : 'not found\n');
          });
          server.once('error', (error) =>
            reject(
              error.code === 'EADDRINUSE'
                ? new Error(`Bind for ${port.hostIp}:${port.published} failed: port is already allocated`)
                : error,
            ),
          );
          server.listen(port.published, port.hostIp, () => resolve());
          servers.push(server);
        }),
    ),
  );
}

process.on('SIGTERM', () => {
  for (const server of servers) server.close();
  process.exit(0);
});
// a container without published ports still runs until it is stopped
setInterval(() => {}, 1 << 30);

const behaviour = config.behaviour || 'healthy';
const slow = /^slow=(\d+)$/.exec(behaviour);
try {
  if (behaviour === 'crash') {
    report('started');
    console.error(`${name}: sandbox.ecs.behaviour=crash: exiting 1`);
    setTimeout(() => process.exit(1), 50);
  } else if (slow) {
    report('started');
    setTimeout(
      () => serve(200).catch((error) => (console.error(error.message), process.exit(1))),
      Number(slow[1]) * 1000,
    );
  } else if (behaviour === 'healthy' || behaviour === 'unhealthy') {
    await serve(behaviour === 'healthy' ? 200 : 500);
    report('started');
  } else {
    report(`error unknown sandbox.ecs.behaviour label '${behaviour}'`);
    process.exit(1);
  }
} catch (error) {
  report(`error ${error.message}`);
  process.exit(1);
}
