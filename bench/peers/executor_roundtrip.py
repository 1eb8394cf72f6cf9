# peer: Python asyncio run_in_executor round trips on ThreadPoolExecutor(2).
# Usage: executor_roundtrip.py [N]. Prints us_per_roundtrip=X.
import asyncio, sys, time
from concurrent.futures import ThreadPoolExecutor

def trivial(x):
    return x + 1

async def main(n):
    loop = asyncio.get_running_loop()
    ex = ThreadPoolExecutor(2)
    for i in range(1000):
        await loop.run_in_executor(ex, trivial, i)
    t0 = time.perf_counter()
    for i in range(n):
        await loop.run_in_executor(ex, trivial, i)
    dt = time.perf_counter() - t0
    ex.shutdown()
    print("roundtrips=%d us_per_roundtrip=%.3f" % (n, dt * 1e6 / n))

asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000))
