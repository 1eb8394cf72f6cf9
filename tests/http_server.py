#!/usr/bin/python3
"""tests/http_server.py — a small HTTP server on 127.0.0.1 for cio's HTTP tests.

Prints "PORT <n>" on stdout once listening (port 0 = any free port), then
serves until killed. Paths:
  /bytes/N        N bytes, byte i = i % 256, with Content-Length
  /slow/N         N bytes in 1 KiB pieces, 20 ms apart
  /redirect/N     302 to /redirect/N-1; /redirect/0 answers 200 "done"
  /status/N       an empty answer with status N
  /stall          reads the request, then never answers
  /truncate       announces 100000 bytes, sends 1000, closes
  /echo           answers "<METHOD> <body>" and echoes X-Test as X-Echo
  /files/NAME     files from --dir
"""
import argparse, os, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BLOCK = bytes(range(256)) * 256  # 64 KiB, byte i = i % 256


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    directory = "."

    def log_message(self, *args):
        pass

    def send_body(self, status, body, ctype="text/plain"):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in getattr(self, "extra", {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def pattern(self, n, piece=len(BLOCK), delay=0.0):
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(n))
        self.end_headers()
        if self.command == "HEAD":
            return
        sent = 0
        while sent < n:
            k = min(piece, n - sent)
            self.wfile.write(BLOCK[:k])
            sent += k
            if delay:
                self.wfile.flush()
                time.sleep(delay)

    def route(self):
        parts = self.path.split("?")[0].strip("/").split("/")
        kind, arg = parts[0], "/".join(parts[1:])
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if kind == "bytes":
            return self.pattern(int(arg))
        if kind == "slow":
            return self.pattern(int(arg), 1024, 0.02)
        if kind == "redirect":
            n = int(arg)
            if n == 0:
                return self.send_body(200, b"done")
            self.send_response(302)
            self.send_header("Location", "/redirect/%d" % (n - 1))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if kind == "status":
            return self.send_body(int(arg), b"")
        if kind == "stall":
            time.sleep(3600)
            return
        if kind == "truncate":
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(BLOCK[:1000])
            self.wfile.flush()
            self.close_connection = True
            return
        if kind == "echo":
            self.extra = {"X-Echo": self.headers.get("X-Test", "")}
            return self.send_body(200, self.command.encode() + b" " + body)
        if kind == "files":
            try:
                with open(os.path.join(self.directory, os.path.basename(arg)), "rb") as f:
                    return self.send_body(200, f.read(), "application/octet-stream")
            except OSError:
                return self.send_body(404, b"not found")
        return self.send_body(404, b"not found")

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = route


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--dir", default=".")
    a = ap.parse_args()
    Handler.directory = a.dir
    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer.request_queue_size = 1024
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    print("PORT %d" % srv.server_address[1], flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
