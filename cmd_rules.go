package main

import (
	"fmt"
	"os"
)

// cmdRules is being written (issue 5).
func cmdRules(args []string) int {
	fmt.Fprintln(os.Stderr, "此命令尚未完成")
	return exitUsage
}
