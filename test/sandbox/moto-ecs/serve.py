"""The sandbox's AWS: moto's server with the ECS deployment life cycle patched in (see lifecycle.py).

    PYTHONPATH=<moto dist-packages> /usr/bin/python3 test/sandbox/moto-ecs/serve.py -H 127.0.0.1 -p 5000

moto has no plugin API, so the patches replace methods of moto's ECS and ELBv2 classes in this process before
the server answers its first request.
"""

import argparse
import signal
import sys
import threading

import patches
from moto.moto_server.threaded_moto_server import ThreadedMotoServer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default=5000)
    args = parser.parse_args()
    patches.apply()
    server = ThreadedMotoServer(ip_address=args.host, port=args.port, verbose=False)
    server.start()
    print(f"sandbox moto (ECS life cycle) listening on http://{args.host}:{args.port}", flush=True)
    stopped = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopped.set())
    stopped.wait()
    server.stop()
    sys.exit(0)


if __name__ == "__main__":
    main()
