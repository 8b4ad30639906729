//go:build tools

// Package tools pins the KWOK main package this wrapper module builds
// (see ../../scripts/build-binaries.sh). It is never compiled into anything.
package tools

import (
	_ "sigs.k8s.io/kwok/cmd/kwok"
)
