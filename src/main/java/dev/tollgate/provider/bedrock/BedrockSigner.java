package dev.tollgate.provider.bedrock;

import dev.tollgate.config.ProviderConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Signs Bedrock requests with AWS Signature Version 4, using the AWS SDK's own signer rather than a
 * hand-written one. Credentials come from the provider's config, or else from the SDK's default
 * chain (environment, profile, container or instance role), which may read files or call the
 * instance metadata service: that lookup runs on a worker thread, never on the event loop.
 */
final class BedrockSigner implements AutoCloseable {

  private static final String SERVICE = "bedrock";

  private final Vertx vertx;
  private final String region;
  private final Clock clock;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
  private final AwsCredentialsIdentity fixed;
  private final DefaultCredentialsProvider chain;

  BedrockSigner(Vertx vertx, ProviderConfig config, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
    this.region = config.setting("region");
    String key = config.setting("access_key_id");
    String secret = config.setting("secret_access_key");
    String session = config.setting("session_token");
    if (key != null && secret != null) {
      fixed = session == null ? AwsCredentialsIdentity.create(key, secret) : AwsSessionCredentialsIdentity.create(key, secret, session);
      chain = null;
    } else {
      fixed = null;
      chain = DefaultCredentialsProvider.builder().build();
    }
  }

  /** The signed headers for a POST of {@code body} to {@code uri} with the given headers. */
  Future<Map<String, String>> sign(URI uri, Map<String, String> headers, byte[] body) {
    if (fixed != null) return Future.succeededFuture(signWith(fixed, uri, headers, body));
    return vertx.<AwsCredentialsIdentity>executeBlocking(chain::resolveCredentials, false)
        .map(identity -> signWith(identity, uri, headers, body));
  }

  private Map<String, String> signWith(AwsCredentialsIdentity identity, URI uri, Map<String, String> headers, byte[] body) {
    SdkHttpRequest.Builder request = SdkHttpRequest.builder().uri(uri).method(SdkHttpMethod.POST);
    headers.forEach(request::putHeader);
    SignedRequest signed = signer.sign(r -> r.identity(identity)
        .request(request.build())
        .payload(ContentStreamProvider.fromByteArray(body))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SERVICE)
        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
        .putProperty(HttpSigner.SIGNING_CLOCK, clock));
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> h : signed.request().headers().entrySet()) {
      // The HTTP client writes Host itself, from the same URI the signature covers.
      if (h.getKey().equalsIgnoreCase("host")) continue;
      out.put(h.getKey().toLowerCase(Locale.ROOT), String.join(",", h.getValue()));
    }
    return out;
  }

  @Override
  public void close() {
    if (chain != null) chain.close();
  }
}
