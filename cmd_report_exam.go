package main

import (
	"fmt"
	"os"
)

// cmdReportExam is being written (issue 6).
func cmdReportExam(args []string) int {
	fmt.Fprintln(os.Stderr, "此命令尚未完成")
	return exitUsage
}
