// bench/peers/queue.go — a buffered channel of size S: one producer and one
// consumer goroutine passing N ints (run with GOMAXPROCS=1). Prints ns per
// item. Usage: queue [N] [S]
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

func main() {
	n, size := 1000000, 128
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	if len(os.Args) > 2 {
		size, _ = strconv.Atoi(os.Args[2])
	}
	ch := make(chan int, size)
	done := make(chan int)
	t0 := time.Now()
	go func() {
		s := 0
		for i := 0; i < n; i++ {
			s += <-ch
		}
		done <- s
	}()
	for i := 0; i < n; i++ {
		ch <- i
	}
	s := <-done
	dt := time.Since(t0)
	ok := 0
	if s == n*(n-1)/2 {
		ok = 1
	}
	fmt.Printf("bench=queue impl=go items=%d maxsize=%d ns_per_item=%.1f ok=%d\n", n, size, float64(dt.Nanoseconds())/float64(n), ok)
}
