// SPDX-License-Identifier: GPL-2.0-only

// The Go program of the growth-site profile tests (profile.sh), built
// static with Debian's golang-go, stripped (-s -w: names come from its
// pclntab). On SIGUSR1 it runs one case, prints "done" and waits:
//
//	pf_grow grow [thp]     leakGrow() keeps 32 MiB in a global list, in
//	                       64 KiB slices, each page written; little
//	                       garbage
//	pf_grow garbage [thp]  the same, while makeGarbage() allocates,
//	                       writes and drops ten times as much (320 MiB)
//
// A second SIGUSR1 collects the garbage and returns free memory to the
// kernel (debug.FreeOSMemory), prints "freed" and waits again.
//
// Transparent huge pages are off for the process (PR_SET_THP_DISABLE)
// unless "thp" is given: Go 1.19's runtime asks for them (MADV_HUGEPAGE).
package main

import (
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

const (
	prSetTHPDisable = 41 // PR_SET_THP_DISABLE

	chunk  = 64 << 10
	leakMB = 32
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
	if len(os.Args) < 2 || len(os.Args) > 3 ||
		(os.Args[1] != "grow" && os.Args[1] != "garbage") ||
		(len(os.Args) == 3 && os.Args[2] != "thp") {
		fmt.Fprintln(os.Stderr, "usage: pf_grow grow|garbage [thp]")
		os.Exit(2)
	}
	garbage := os.Args[1] == "garbage"
	if len(os.Args) == 2 {
		_, _, e := syscall.RawSyscall6(syscall.SYS_PRCTL, prSetTHPDisable,
			1, 0, 0, 0, 0)
		if e != 0 {
			fmt.Fprintln(os.Stderr, "pf_grow: PR_SET_THP_DISABLE:", e)
			os.Exit(1)
		}
	}
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
	<-ch
	debug.FreeOSMemory()
	fmt.Println("freed")
	select {}
}
