//go:build ignore

// gen writes zz_client.go and zz_server.go from package app: go generate ./store/remote.
package main

import (
	"fmt"
	"os"

	"occhealth/internal/rpcgen"
)

func main() {
	if err := rpcgen.WriteFiles("../../app", "."); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
