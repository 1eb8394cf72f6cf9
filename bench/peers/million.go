// bench/peers/million.go — the million benchmark in Go for comparison: N
// goroutines (default 1,000,000) all parked in time.Sleep at once
// (GOMAXPROCS=1). Each sleeps 5 s, so all are asleep together once every
// one has started (checked: parked_at_once). Prints peak RSS (getrusage
// ru_maxrss) and bytes per goroutine over the baseline.
// Usage: GOMAXPROCS=1 go run million.go [N]
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

func maxrss() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Maxrss * 1024
}

func main() {
	n := 1000000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	base := maxrss()
	t0 := time.Now()
	var parked, started int64
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			atomic.AddInt64(&started, 1)
			atomic.AddInt64(&parked, 1)
			time.Sleep(5 * time.Second)
			atomic.AddInt64(&parked, -1)
			wg.Done()
		}()
	}
	for atomic.LoadInt64(&started) < int64(n) {
		runtime.Gosched()
	}
	runtime.Gosched()
	atOnce := atomic.LoadInt64(&parked)
	wg.Wait()
	peak := maxrss()
	fmt.Printf("impl=go gomaxprocs=%d tasks=%d parked_at_once=%d rss_peak_bytes=%d rss_peak_gib=%.2f bytes_per_task=%.0f elapsed_ns=%d\n",
		runtime.GOMAXPROCS(0), n, atOnce, peak, float64(peak)/float64(1<<30), float64(peak-base)/float64(n),
		time.Since(t0).Nanoseconds())
}
