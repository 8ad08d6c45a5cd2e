"""The sandbox's AWS: moto's server with the ECS deployment life cycle patched in (see lifecycle.py).

    PYTHONPATH=<moto dist-packages> /usr/bin/python3 test/sandbox/moto-ecs/serve.py -H 127.0.0.1 -p 5000

moto has no plugin API, so the patches replace methods of moto's ECS and ELBv2 classes in this process. Importing
those backends takes seconds, so the server listens first (moto's /moto-api/ answers, so `up` carries on) and
every AWS request waits until the patches are in: none is ever served by unpatched moto.
"""

import argparse
import signal
import sys
import threading

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import make_server

patched = threading.Event()


def gated(app):
    def application(environ, start_response):
        if not environ.get("PATH_INFO", "").startswith("/moto-api"):
            patched.wait()
        return app(environ, start_response)

    return application


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default=5000)
    args = parser.parse_args()
    server = make_server(args.host, args.port, gated(DomainDispatcherApplication(create_backend_app)), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    try:
        import patches

        patches.apply()
    except Exception:
        # Exit rather than hold every request for ever: `up` reports a piece that exited, with its log.
        import traceback

        traceback.print_exc()
        server.shutdown()
        sys.exit(1)
    patched.set()
    print(f"sandbox moto (ECS life cycle) listening on http://{args.host}:{args.port}", flush=True)
    stopped = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopped.set())
    stopped.wait()
    server.shutdown()
    sys.exit(0)


if __name__ == "__main__":
    main()
