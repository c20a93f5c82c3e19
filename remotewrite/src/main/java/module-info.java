/**
 * infermetrics remotewrite module: a Prometheus remote write 1.0 sink for KPI sets and scraped snapshots.
 */
module io.github.infermetrics.remotewrite {
  requires transitive io.github.infermetrics.core;
  requires transitive java.net.http; // Builder.httpClient takes an HttpClient
  // snappy-java has no Automatic-Module-Name: its module name comes from the jar name
  requires snappy.java;
  // optional: only AwsSigV4Signer uses the AWS SDK (its signer, and the default credentials it takes)
  requires static software.amazon.awssdk.auth;
  requires static software.amazon.awssdk.http.auth.aws;
  requires static software.amazon.awssdk.http.auth.spi;
  requires static software.amazon.awssdk.http;
  requires static software.amazon.awssdk.identity.spi;

  exports io.github.infermetrics.remotewrite;
}
