//go:build tools

// Package tools pins etcd's main package (the root of go.etcd.io/etcd/server/v3)
// for ../../scripts/build-binaries.sh. It is never compiled into anything.
package tools

import (
	_ "go.etcd.io/etcd/server/v3"
)
