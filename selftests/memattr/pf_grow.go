// SPDX-License-Identifier: GPL-2.0-only

// The Go program of the growth-site profile tests (profile.sh), built
// static with Debian's golang-go, stripped (-s -w: names come from its
// pclntab). On SIGUSR1 it runs one case, prints "done" and waits:
//
//	pf_grow grow     leakGrow() keeps 64 MiB in a global list, in
//	                 64 KiB slices, each page written; little garbage
//	pf_grow garbage  the same, while makeGarbage() allocates, writes
//	                 and drops ten times as much (640 MiB)
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

const (
	chunk  = 64 << 10
	leakMB = 64
	page   = 4096
)

var kept [][]byte

// sink keeps the garbage reachable until the next round
var sink []byte

//go:noinline
func leakGrow() {
	for i := 0; i < (1<<20)/chunk; i++ {
		b := make([]byte, chunk)
		for off := 0; off < chunk; off += page {
			b[off] = 1
		}
		kept = append(kept, b)
	}
}

//go:noinline
func makeGarbage() {
	for i := 0; i < 10*(1<<20)/chunk; i++ {
		b := make([]byte, chunk)
		for off := 0; off < chunk; off += page {
			b[off] = 2
		}
		sink = b
	}
}

func main() {
	if len(os.Args) != 2 || (os.Args[1] != "grow" && os.Args[1] != "garbage") {
		fmt.Fprintln(os.Stderr, "usage: pf_grow grow|garbage")
		os.Exit(2)
	}
	garbage := os.Args[1] == "garbage"
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGUSR1)
	fmt.Println("ready")
	<-ch
	for mb := 0; mb < leakMB; mb++ {
		leakGrow()
		if garbage {
			makeGarbage()
		}
	}
	sink = nil
	fmt.Println("done")
	select {}
}
