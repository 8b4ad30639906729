// Command llm-d-inference-sim is the upstream vLLM simulator
// (github.com/llm-d/llm-d-inference-sim/cmd/llm-d-inference-sim) with one change for the
// sandbox: it serves HTTP on 127.0.0.1 only (upstream listens on every interface).
// The gRPC endpoint is left out; the sandbox only uses the OpenAI API and /metrics.
package main

import (
	"context"
	"fmt"
	"net"
	"os"

	"golang.org/x/sync/errgroup"
	"k8s.io/klog/v2"

	"github.com/llm-d/llm-d-inference-sim/cmd/signals"
	"github.com/llm-d/llm-d-inference-sim/pkg/common"
	"github.com/llm-d/llm-d-inference-sim/pkg/communication"
	vllmsim "github.com/llm-d/llm-d-inference-sim/pkg/llm-d-inference-sim"
)

func main() {
	logger := klog.Background()
	ctx := klog.NewContext(context.Background(), logger)
	ctx = signals.SetupSignalHandler(ctx)

	config, err := common.ParseCommandParamsAndLoadConfig()
	if err != nil {
		logger.Error(err, "failed to read configuration")
		os.Exit(1)
	}
	simulators, err := vllmsim.Start(ctx, config, logger)
	if err != nil {
		logger.Error(err, "failed to create vLLM simulator")
		os.Exit(1)
	}

	g := new(errgroup.Group)
	for _, sim := range simulators {
		port := sim.Context.Config().Port
		listener, err := net.Listen("tcp4", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			logger.Error(err, "failed to listen", "port", port)
			os.Exit(1)
		}
		logger.Info("vLLM simulator listening", "address", listener.Addr().String())
		g.Go(func() error {
			<-ctx.Done()
			sim.Stop()
			return listener.Close()
		})
		g.Go(func() error {
			err := communication.New(logger, sim).StartHTTPServer(ctx, listener)
			if ctx.Err() != nil {
				return nil
			}
			return err
		})
	}
	if err := g.Wait(); err != nil {
		logger.Error(err, "simulator stopped")
		os.Exit(1)
	}
}
