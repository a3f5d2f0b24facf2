"""deploy/nginx.conf at work: nginx started on it (its upstreams on this machine), one
instance refusing connections (a restart), the other answering. Every request, GET and
POST, must be answered by the one that is up, and reach it with X-Forwarded-For and
X-Forwarded-Proto set. Used by scripts/lint-deploy."""

import http.server
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request

nginx, conf_path, work = sys.argv[1:4]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Echo(http.server.BaseHTTPRequestHandler):
    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        body = json.dumps({k: self.headers.get(k) for k in ("X-Forwarded-For", "X-Forwarded-Proto")})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())

    do_GET = answer
    do_POST = answer

    def log_message(self, *args):
        pass


refusing, front = free_port(), free_port()
up = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Echo)
threading.Thread(target=up.serve_forever, daemon=True).start()
with open(conf_path) as f:
    conf = f.read()
conf = (
    conf.replace("agora-1:8080", f"127.0.0.1:{refusing}")
    .replace("agora-2:8080", f"127.0.0.1:{up.server_address[1]}")
    .replace("listen 80;", f"listen 127.0.0.1:{front};")
    .replace("listen [::]:80;", "")
    .replace("pid /tmp/nginx.pid;", f"pid {work}/nginx.pid;")
    .replace("access_log /dev/stdout;", "access_log off;")
    # The refused connections are the point: not worth a line each.
    .replace("error_log /dev/stderr warn;", "error_log /dev/stderr crit;")
    .replace(
        "http {",
        "http {\n    client_body_temp_path tmp/body; proxy_temp_path tmp/proxy; "
        "fastcgi_temp_path tmp/fastcgi; uwsgi_temp_path tmp/uwsgi; scgi_temp_path tmp/scgi;",
    )
)
os.makedirs(f"{work}/tmp", exist_ok=True)
with open(f"{work}/run.conf", "w") as f:
    f.write(conf)
proc = subprocess.Popen([nginx, "-p", f"{work}/", "-c", f"{work}/run.conf", "-e", "stderr", "-g", "daemon off;"])
failures = []
try:
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", front), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    n = 40
    for i in range(n):
        data = b'{"n": %d}' % i if i % 2 else None
        req = urllib.request.Request(
            f"http://127.0.0.1:{front}/api/v1/services",
            data=data,
            headers={"X-Forwarded-For": "203.0.113.9", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                seen = json.loads(r.read())
                if seen["X-Forwarded-Proto"] != "http" or not (seen["X-Forwarded-For"] or "").endswith("127.0.0.1"):
                    failures.append(f"forwarded headers: {seen}")
        except Exception as e:  # noqa: BLE001 (any failure is the finding)
            failures.append(f"{req.get_method()} failed: {e}")
finally:
    proc.terminate()
    proc.wait(timeout=10)
    up.shutdown()
for f in failures[:5]:
    print(f"deploy/nginx.conf: {f}", file=sys.stderr)
if failures:
    sys.exit(f"deploy/nginx.conf: {len(failures)} of {n} requests failed with one instance refusing")
print(f"deploy/nginx.conf: one instance refusing, {n} of {n} requests (GET and POST) answered by the other, with X-Forwarded-For and X-Forwarded-Proto")
