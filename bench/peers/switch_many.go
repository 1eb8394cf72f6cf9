// bench/peers/switch_many.go — the switch_many benchmark in Go: T goroutines
// (default 100,000) each call runtime.Gosched() R times (default 20), with
// GOMAXPROCS=1 so they take turns on one thread like cio tasks on a loop.
// Times the yields of the second of two rounds, after every goroutine has
// started (as the cio program does).
// Usage: GOMAXPROCS=1 go run switch_many.go [T] [R]
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"time"
)

func round(t, r int) time.Duration {
	var started, done sync.WaitGroup
	start := make(chan struct{})
	started.Add(t)
	done.Add(t)
	for i := 0; i < t; i++ {
		go func() {
			started.Done()
			<-start
			for k := 0; k < r; k++ {
				runtime.Gosched()
			}
			done.Done()
		}()
	}
	started.Wait()
	t0 := time.Now()
	close(start)
	done.Wait()
	return time.Since(t0)
}

func arg(i, def int) int {
	if len(os.Args) > i {
		if v, err := strconv.Atoi(os.Args[i]); err == nil {
			return v
		}
	}
	return def
}

func main() {
	t, r := arg(1, 100000), arg(2, 20)
	round(t, r)
	d := round(t, r)
	fmt.Printf("impl=go gomaxprocs=%d tasks=%d yields=%d elapsed_ns=%d ns_per_yield=%.2f\n",
		runtime.GOMAXPROCS(0), t, t*r, d.Nanoseconds(), float64(d.Nanoseconds())/float64(t*r))
}
