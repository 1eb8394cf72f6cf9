// bench/peers/spawn.go — the spawn benchmark in Go: N goroutines (default
// 1,000,000) that return at once, joined with a sync.WaitGroup. Run with
// GOMAXPROCS=1 so it is one thread like a cio loop.
// Usage: GOMAXPROCS=1 go run spawn.go [N]
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"time"
)

func round(n int) time.Duration {
	t0 := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() { wg.Done() }()
	}
	wg.Wait()
	return time.Since(t0)
}

func main() {
	n := 1000000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	cold := round(n) // two rounds, as the cio program does
	d := round(n)
	fmt.Printf("impl=go gomaxprocs=%d tasks=%d elapsed_ns=%d ns_per_task=%.2f cold_ns_per_task=%.2f\n",
		runtime.GOMAXPROCS(0), n, d.Nanoseconds(), float64(d.Nanoseconds())/float64(n),
		float64(cold.Nanoseconds())/float64(n))
}
