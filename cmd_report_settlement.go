package main

import (
	"fmt"
	"os"
)

// cmdReportSettlement is being written (issue 6).
func cmdReportSettlement(args []string) int {
	fmt.Fprintln(os.Stderr, "此命令尚未完成")
	return exitUsage
}
