"""A Python task of yours for Concurrency Lab: a blocking HTTP GET with urllib, as a client of another service makes.

    ./conlab run --python-task shop:fetch --python-path examples/python --python /usr/bin/python3

The lab calls fetch(index) for each unit; asyncio and uvloop await fetch_async(index) instead; fetch_setup starts the
service (a local HTTP server in a process of its own, answering each request after delayMs), fetch_check checks the
answers and fetch_close stops the service. The naming rule is in docs/TASKS.md.
"""

import asyncio
import subprocess
import sys
import urllib.request

SERVER = r'''
import http.server, sys, time
delay = int(sys.argv[1]) / 1000
class Orders(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    def do_GET(self):
        time.sleep(delay)
        body = ('{"order":%s}' % self.path.rsplit("/", 1)[1]).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
class Server(http.server.ThreadingHTTPServer):
    request_queue_size = 4096
    daemon_threads = True
server = Server(("127.0.0.1", 0), Orders)
print(server.server_address[1], flush=True)
server.serve_forever()
'''

fetch_params = {"tasks": 100, "delayMs": 20}

_service = {}


def fetch_setup(params):
    """Starts the service the units call (untimed)."""
    process = subprocess.Popen([sys.executable, "-c", SERVER, str(params["delayMs"])], stdout=subprocess.PIPE)
    _service["process"] = process
    _service["port"] = int(process.stdout.readline())


def fetch(index):
    """A blocking HTTP GET of one order from a local service that answers after delayMs."""
    with urllib.request.urlopen("http://127.0.0.1:%d/orders/%d" % (_service["port"], index), timeout=30) as answer:
        return answer.read().decode()


async def fetch_async(index):
    reader, writer = await asyncio.open_connection("127.0.0.1", _service["port"])
    try:
        writer.write(b"GET /orders/%d HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n" % index)
        await writer.drain()
        answer = await reader.read()
        return answer.split(b"\r\n\r\n", 1)[1].decode()
    finally:
        writer.close()


def fetch_check(results):
    for i, r in enumerate(results):
        if r != '{"order":%d}' % i:
            raise ValueError("unit %d got %r" % (i, r))


def fetch_close():
    process = _service.pop("process", None)
    if process is not None:
        process.kill()
        process.wait()
