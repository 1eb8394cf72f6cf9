# bench/peers/queue_asyncio.py — asyncio.Queue(maxsize=S): one producer and
# one consumer passing N integers. Prints ns per item. Usage: queue_asyncio.py
# [N] [S]. (Not named queue.py: that would shadow the stdlib queue module for
# every Python peer in this folder, which broke ThreadPoolExecutor and gevent.)
import asyncio, sys, time

async def main(n, size):
    q = asyncio.Queue(maxsize=size)
    async def producer():
        for i in range(n):
            await q.put(i)
    async def consumer():
        s = 0
        for _ in range(n):
            s += await q.get()
        return s
    t0 = time.perf_counter_ns()
    _, s = await asyncio.gather(producer(), consumer())
    dt = time.perf_counter_ns() - t0
    print(f"bench=queue impl=asyncio items={n} maxsize={size} ns_per_item={dt / n:.1f} ok={int(s == n * (n - 1) // 2)}")

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
size = int(sys.argv[2]) if len(sys.argv) > 2 else 128
asyncio.run(main(n, size))
