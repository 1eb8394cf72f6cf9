"""bench/peers/echo_asyncio.py — the Python peer of the echo suite: an
asyncio echo server on 127.0.0.1 written with a Protocol (data_received ->
transport.write), the fast idiomatic way; asyncio streams add a Python-level
StreamReader on top and would be slower. With `uvloop` as the second
argument it runs the same server on uvloop's event loop.
Note: asyncio's selector transport receives with sock.recv(256 KiB); glibc
serves that allocation with mmap and frees it with munmap every time, so
each message costs an mmap, an mremap, a munmap and page faults (strace -c
shows the four in equal numbers). Run as Python is normally run, that is
part of asyncio's cost here; MALLOC_MMAP_THRESHOLD_=1048576 in the
environment makes it about 2.5x faster.
Prints "listening port=N" once it accepts connections; runs until killed.
Usage: python3 echo_asyncio.py [PORT=0 (any free port)] [asyncio|uvloop]
"""
import asyncio
import sys


class Echo(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.transport.write(data)


async def main(port, impl):
    # asyncio's create_server sets TCP_NODELAY on accepted sockets, as cio does.
    server = await asyncio.get_running_loop().create_server(Echo, "127.0.0.1", port, backlog=511)
    print("listening port=%d impl=%s" % (server.sockets[0].getsockname()[1], impl), flush=True)
    await server.serve_forever()


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    impl = sys.argv[2] if len(sys.argv) > 2 else "asyncio"
    if impl == "uvloop":
        import uvloop
        uvloop.install()
    asyncio.run(main(port, impl))
