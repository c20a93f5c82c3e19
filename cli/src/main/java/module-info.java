/** The infermetrics command line. */
module io.github.infermetrics.cli {
  requires io.github.infermetrics.core;
  requires io.github.infermetrics.triton;
  requires io.github.infermetrics.vllm;
  requires io.github.infermetrics.neuron;
  requires io.github.infermetrics.dcgm;
  requires io.github.infermetrics.cloudwatch;
  requires io.github.infermetrics.remotewrite;
  requires io.github.infermetrics.kubernetes;
  requires info.picocli;
  requires jdk.httpserver; // the simulators serve loopback HTTP
  requires com.fasterxml.jackson.databind; // loadtest: streamed answers, prompt files, its report
  // query --run: a CloudWatch Logs client with the URL-connection HTTP client
  requires software.amazon.awssdk.services.cloudwatchlogs;
  requires software.amazon.awssdk.http.urlconnection;
  requires software.amazon.awssdk.http;
  requires software.amazon.awssdk.regions;
  requires software.amazon.awssdk.core;
  // query --run and watch --remote-write-sigv4: the default credentials, checked before use
  requires software.amazon.awssdk.auth;

  exports io.github.infermetrics.cli.simulate;

  // picocli reads the command classes reflectively
  opens io.github.infermetrics.cli to info.picocli;
}
