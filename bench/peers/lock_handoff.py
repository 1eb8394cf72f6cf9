# bench/peers/lock_handoff.py — T tasks each acquiring and releasing one
# asyncio.Lock K times with asyncio.sleep(0) inside. Prints ns per handoff.
# Usage: lock_handoff.py [T] [K]
import asyncio, sys, time

async def main(t, k):
    lock = asyncio.Lock()
    async def worker():
        for _ in range(k):
            async with lock:
                await asyncio.sleep(0)
    t0 = time.perf_counter_ns()
    await asyncio.gather(*(worker() for _ in range(t)))
    dt = time.perf_counter_ns() - t0
    print(f"bench=lock_handoff impl=asyncio tasks={t} iters={k} ns_per_handoff={dt / (t * k):.1f} ok=1")

t = int(sys.argv[1]) if len(sys.argv) > 1 else 100
k = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
asyncio.run(main(t, k))
