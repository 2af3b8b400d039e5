//go:build !windows

package main

// showFatal has nothing to add on Linux: the message went to standard error.
func showFatal(string) {}
