//go:build tools

// Package tools pins the KubeRay operator's main package (the root of
// github.com/ray-project/kuberay/ray-operator) for ../../scripts/build-binaries.sh.
// It is never compiled into anything.
package tools

import (
	_ "github.com/ray-project/kuberay/ray-operator"
)
