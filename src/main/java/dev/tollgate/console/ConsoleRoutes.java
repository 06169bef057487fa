package dev.tollgate.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web console at {@code /console/}: its own files (HTML, ES modules, CSS), the chart library from
 * its WebJar under {@code /console/vendor/}, and {@code /console/routes.json}, the admin routes this
 * build serves.
 *
 * <p>The files hold no data and need no sign-in; everything the console shows comes from the admin
 * API, called by the browser with the bearer token the user signs in with, so the admin API's access
 * rules decide what each person sees. {@code routes.json} lets the console tell "not available in
 * this build" from "not allowed" without calling routes that may not exist.
 *
 * <p>Files are read from the classpath only, once, on a worker thread, then served from memory with
 * an ETag. Not Vert.x's StaticHandler: it looks in the working directory first (a {@code console/}
 * folder where the gateway was started would replace the console), and to serve a file from a jar it
 * first unpacks the jar's whole {@code META-INF} tree to a temporary directory — 50 MB and 2.5 to 9
 * seconds before the first chart could load.
 */
public final class ConsoleRoutes {

  /** Where the WebJar keeps ECharts' browser builds inside its jar. */
  static final String ECHARTS = "/META-INF/resources/webjars/echarts/5.3.1/dist/";

  /** The console's own files inside the jar ({@code src/main/resources/console}). */
  static final String FILES = "/console/";

  // script-src 'self': no inline script and no eval, so a value that slipped into the page unescaped
  // could not run. Styles may be inline because ECharts positions its tooltip with a style attribute.
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
      + "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
      + "frame-ancestors 'none'";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SAFE_PATH = Pattern.compile("(?:[A-Za-z0-9_-]+/)*[A-Za-z0-9_.-]+\\.(?:html|js|css|svg)");
  private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml");

  private final Vertx vertx;
  private final Router router;
  private final Map<String, File> files = new ConcurrentHashMap<>();

  private record File(Buffer bytes, String type, String etag) {}

  public ConsoleRoutes(Vertx vertx, Router router) {
    this.vertx = vertx;
    this.router = router;
  }

  /** Mounts the console; call before the gateway's catch-all 404 route. */
  public void mount() {
    router.get("/console").handler(ctx -> {
      if (ctx.request().path().equals("/console")) ctx.redirect("/console/");
      else ctx.next();
    });
    router.route("/console/*").handler(ConsoleRoutes::headers);
    router.get("/console/routes.json").handler(this::routes);
    // The chart library changes only with the WebJar's version: browsers may keep it for a day.
    router.get("/console/vendor/*").handler(ctx -> serve(ctx, ECHARTS, "/console/vendor/", "public, max-age=86400"));
    // The console's own files change with every build: the browser revalidates them (ETag) each time.
    router.get("/console/*").handler(ctx -> serve(ctx, FILES, "/console/", "no-cache"));
  }

  private static void headers(RoutingContext ctx) {
    var h = ctx.response().headers();
    h.set("content-security-policy", CSP);
    h.set("x-content-type-options", "nosniff");
    h.set("referrer-policy", "no-referrer");
    h.set("x-frame-options", "DENY");
    ctx.next();
  }

  private void serve(RoutingContext ctx, String root, String mount, String cacheControl) {
    String path = ctx.normalizedPath().substring(mount.length());
    if (path.isEmpty() && root.equals(FILES)) path = "index.html";
    if (!SAFE_PATH.matcher(path).matches()) {
      ctx.next();
      return;
    }
    String resource = root + path;
    File cached = files.get(resource);
    if (cached != null) {
      send(ctx, cached, cacheControl);
      return;
    }
    vertx.executeBlocking(() -> load(resource)).onComplete(ar -> {
      Optional<File> f = ar.succeeded() ? ar.result() : Optional.empty();
      if (f.isEmpty()) {
        ctx.next();
        return;
      }
      files.put(resource, f.get()); // only files that exist: the cache stays as small as the console
      send(ctx, f.get(), cacheControl);
    });
  }

  private static void send(RoutingContext ctx, File f, String cacheControl) {
    var response = ctx.response().putHeader("cache-control", cacheControl).putHeader("etag", f.etag());
    if (f.etag().equals(ctx.request().getHeader("if-none-match"))) {
      response.setStatusCode(304).end();
      return;
    }
    response.putHeader("content-type", f.type()).end(f.bytes());
  }

  private static Optional<File> load(String resource) throws IOException, NoSuchAlgorithmException {
    try (InputStream in = ConsoleRoutes.class.getResourceAsStream(resource)) {
      if (in == null) return Optional.empty();
      byte[] bytes = in.readAllBytes();
      String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16);
      String type = TYPES.get(resource.substring(resource.lastIndexOf('.') + 1));
      return Optional.of(new File(Buffer.buffer(bytes), type, "\"" + hash + "\""));
    }
  }

  /** {@code GET /console/routes.json}: every admin route this gateway serves, as "METHOD /path". */
  private void routes(RoutingContext ctx) {
    TreeSet<String> found = new TreeSet<>();
    for (Route r : router.getRoutes()) {
      String p = r.getPath();
      if (p == null || !p.startsWith("/admin/v1/") || p.endsWith("*") || r.methods() == null) continue;
      for (HttpMethod m : r.methods()) found.add(m.name() + " " + p);
    }
    ObjectNode root = JSON.createObjectNode();
    found.forEach(root.putArray("routes")::add);
    ctx.response().putHeader("content-type", "application/json").putHeader("cache-control", "no-cache").end(root.toString());
  }
}
