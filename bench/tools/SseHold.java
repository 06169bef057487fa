// Opens many concurrent streaming chat completions against Tollgate and keeps them open: the load
// tool of bench/sse10k.sh. Uses the Vert.x HTTP client inside target/tollgate.jar (one event loop,
// one connection per stream). Loopback only; stops by itself after ramp + hold seconds.
//   java -cp target/tollgate.jar bench/tools/SseHold.java URL KEY BODY_FILE STREAMS RAMP_S HOLD_S
// Prints a progress line every 2 s and "ALL_OPEN" once every stream has its first event.
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

public class SseHold {

  public static void main(String[] args) throws Exception {
    URI url = URI.create(args[0]);
    String key = args[1];
    Buffer body = Buffer.buffer(Files.readAllBytes(Path.of(args[2])));
    int streams = Integer.parseInt(args[3]);
    int rampSeconds = Integer.parseInt(args[4]);
    int holdSeconds = Integer.parseInt(args[5]);
    if (!url.getHost().equals("127.0.0.1") && !url.getHost().equals("localhost")) throw new IllegalArgumentException("loopback only");

    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    HttpClientAgent client = vertx.createHttpClient(
        new HttpClientOptions().setKeepAlive(false).setConnectTimeout(30_000).setIdleTimeout(0),
        new PoolOptions().setHttp1MaxSize(streams).setMaxWaitQueueSize(-1));
    AtomicInteger started = new AtomicInteger();
    AtomicInteger open = new AtomicInteger();     // status 200 and a first event seen
    AtomicInteger ended = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicLong events = new AtomicLong();
    AtomicInteger firstError = new AtomicInteger();
    CountDownLatch allOpen = new CountDownLatch(streams);

    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(url.getHost()).setPort(url.getPort())
        .setURI(url.getRawPath()).putHeader("content-type", "application/json").putHeader("accept", "text/event-stream")
        .putHeader("authorization", "Bearer " + key);
    long start = System.nanoTime();
    long tickMs = 10;
    double perTick = (double) streams * tickMs / Math.max(1, rampSeconds * 1000L);
    double[] due = {0};
    vertx.setPeriodic(tickMs, id -> {
      due[0] += perTick;
      while (started.get() < streams && started.get() < (long) due[0]) {
        started.incrementAndGet();
        boolean[] first = {true};
        client.request(options).compose(req -> req.send(body)).onSuccess(resp -> {
          if (resp.statusCode() != 200) {
            failed.incrementAndGet();
            if (firstError.compareAndSet(0, resp.statusCode())) resp.body().onSuccess(b -> System.out.println("first error: " + b));
            allOpen.countDown();
            return;
          }
          resp.handler(buf -> {
            int n = 0;
            for (int i = 0; i + 1 < buf.length(); i++) if (buf.getByte(i) == '\n' && buf.getByte(i + 1) == '\n') n++;
            events.addAndGet(n);
            if (first[0] && n > 0) {
              first[0] = false;
              open.incrementAndGet();
              allOpen.countDown();
            }
          });
          resp.endHandler(v -> {
            ended.incrementAndGet();
            open.decrementAndGet();
          });
          resp.exceptionHandler(t -> { });
        }).onFailure(t -> {
          if (failed.incrementAndGet() == 1) System.out.println("first failure: " + t);
          allOpen.countDown();
        });
      }
      if (started.get() >= streams) vertx.cancelTimer(id);
    });

    long deadline = start + TimeUnit.SECONDS.toNanos(rampSeconds + holdSeconds + 60L);
    boolean announced = false;
    long holdUntil = Long.MAX_VALUE;
    while (System.nanoTime() < Math.min(deadline, holdUntil)) {
      allOpen.await(2, TimeUnit.SECONDS);
      System.out.printf("t=%5.1fs started=%d open=%d ended=%d failed=%d events=%d%n", (System.nanoTime() - start) / 1e9,
          started.get(), open.get(), ended.get(), failed.get(), events.get());
      if (!announced && allOpen.getCount() == 0) {
        announced = true;
        System.out.println("ALL_OPEN open=" + open.get() + " failed=" + failed.get());
        holdUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(holdSeconds);
      }
    }
    System.out.printf("DONE open=%d ended=%d failed=%d events=%d%n", open.get(), ended.get(), failed.get(), events.get());
    System.exit(0); // the process's sockets close with it
  }
}
