package main

import (
	"fmt"
	"os"
)

// cmdReportSummary is being written (issue 6).
func cmdReportSummary(args []string) int {
	fmt.Fprintln(os.Stderr, "此命令尚未完成")
	return exitUsage
}
