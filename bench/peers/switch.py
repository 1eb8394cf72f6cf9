"""bench/peers/switch.py — the switch benchmark in Python asyncio: two tasks
each `await asyncio.sleep(0)` N times (default 1,000,000). One switch is one
sleep(0). Usage: /usr/bin/python3 switch.py [N]"""
import asyncio
import sys
import time


async def yielder(n):
    for _ in range(n):
        await asyncio.sleep(0)


async def round_of(n):
    t0 = time.perf_counter_ns()
    await asyncio.gather(yielder(n), yielder(n))
    return time.perf_counter_ns() - t0


async def main(n):
    await round_of(n // 10 + 1)  # warm up, as the cio program does
    ns = await round_of(n)
    print(f"impl=asyncio switches={2 * n} elapsed_ns={ns} ns_per_switch={ns / (2 * n):.2f}")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000000))
