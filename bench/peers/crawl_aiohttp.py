"""bench/peers/crawl_aiohttp.py — asyncio + aiohttp, N requests in flight.
usage: crawl_aiohttp.py URL_LIST [INFLIGHT=100]"""
import asyncio, sys, time
import aiohttp

urls = [l.strip() for l in open(sys.argv[1]) if l.strip()]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 100


async def main():
    errors = 0
    it = iter(urls)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=n)) as s:

        async def worker():
            nonlocal errors
            for u in it:
                async with s.get(u) as r:
                    await r.read()
                    errors += r.status != 200

        t = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(n)))
        dt = time.perf_counter() - t
    print("requests=%d errors=%d seconds=%.3f requests_per_s=%.0f" % (len(urls), errors, dt, len(urls) / dt))


asyncio.run(main())
