package main

import (
	"fmt"
	"os"
)

// cmdResults is being written (issue 5).
func cmdResults(args []string) int {
	fmt.Fprintln(os.Stderr, "此命令尚未完成")
	return exitUsage
}
