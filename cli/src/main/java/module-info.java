/** The infermetrics command line. */
module io.github.infermetrics.cli {
  requires io.github.infermetrics.core;
  requires io.github.infermetrics.triton;
  requires io.github.infermetrics.vllm;
  requires io.github.infermetrics.neuron;
  requires io.github.infermetrics.cloudwatch;
  requires info.picocli;
  requires jdk.httpserver; // the simulators serve loopback HTTP

  exports io.github.infermetrics.cli.simulate;

  // picocli reads the command classes reflectively
  opens io.github.infermetrics.cli to info.picocli;
}
