"""bench/peers/crawl_gevent.py — the seeds' way: gevent + urllib, Pool(N).
usage: crawl_gevent.py URL_LIST [INFLIGHT=100]"""
from gevent import monkey

monkey.patch_all()
import sys, time, urllib.request
from gevent.pool import Pool

urls = [l.strip() for l in open(sys.argv[1]) if l.strip()]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 100
errors = 0


def get(u):
    global errors
    try:
        with urllib.request.urlopen(u) as r:
            r.read()
            errors += r.status != 200
    except Exception:
        errors += 1


t = time.perf_counter()
Pool(n).map(get, urls)
dt = time.perf_counter() - t
print("requests=%d errors=%d seconds=%.3f requests_per_s=%.0f" % (len(urls), errors, dt, len(urls) / dt))
