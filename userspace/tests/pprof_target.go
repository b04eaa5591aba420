// SPDX-License-Identifier: GPL-2.0-only
//
// The Go twin of pprof_target.c for pprof_test.sh: built static and
// stripped (-s -w), so its names come only from its pclntab. Prints where
// its functions are ("NAME 0xADDRESS", the C program's names) and copies
// its /proc/self/maps to the file it is given.
package main

import (
	"fmt"
	"os"
	"reflect"
)

var kept [][]byte

//go:noinline
func leakHere(i int) {
	kept = append(kept, make([]byte, 4096+i))
}

//go:noinline
func grow(n int) {
	for i := 0; i < n; i++ {
		leakHere(i)
	}
}

//go:noinline
func churn(n int) {
	for i := 0; i < n; i++ {
		_ = make([]byte, 4096+i)
	}
}

func pc(f interface{}) uintptr { return reflect.ValueOf(f).Pointer() }

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: pprof_target_go MAPS_COPY")
		os.Exit(2)
	}
	grow(4)
	churn(4)
	maps, err := os.ReadFile("/proc/self/maps")
	if err == nil {
		err = os.WriteFile(os.Args[1], maps, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("leak_here %#x\ngrow %#x\nchurn %#x\nmain %#x\n",
		pc(leakHere), pc(grow), pc(churn), pc(main))
}
