package main

import (
	"fmt"
	"os"
)

// cmdPrint is being written (issue 6).
func cmdPrint(args []string) int {
	fmt.Fprintln(os.Stderr, "此命令尚未完成")
	return exitUsage
}
