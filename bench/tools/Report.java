// Turns bench/run.sh's raw measurements into the Markdown report: throughput, latency, CPU and
// memory per target, as ratios to nginx as a plain reverse proxy, and the targets checked.
//   java bench/tools/Report.java raw.tsv key=value...
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

public class Report {

  record Row(String kind, String target, String bodyCase, int conns, int delayMs, Map<String, Double> wrk,
      long proxyTicks, long upstreamTicks, int ticksPerSecond, long rssKb, long hwmKb, long foreignTicks) {

    double seconds() { return wrk.get("duration_us") / 1e6; }
    double requests() { return wrk.get("requests"); }
    double rps() { return requests() / seconds(); }
    double ms(String percentile) { return wrk.get(percentile) / 1000.0; }
    double errors() {
      return wrk.get("non2xx") + wrk.get("connect_errors") + wrk.get("read_errors") + wrk.get("write_errors") + wrk.get("timeouts");
    }
    boolean hasProxy() { return !target.equals("direct"); }
    double proxyCpuSeconds() { return (double) proxyTicks / ticksPerSecond; }
    /** CPU the proxy spent per request, in microseconds. */
    double cpuUsPerRequest() { return proxyCpuSeconds() * 1e6 / requests(); }
    double cores() { return proxyCpuSeconds() / seconds(); }
    double upstreamCores() { return (double) upstreamTicks / ticksPerSecond / seconds(); }
    /** CPU used meanwhile by processes that are not part of the test (other people's builds…). */
    double foreignCores() { return (double) foreignTicks / ticksPerSecond / seconds(); }
  }

  static final Map<String, String> CASE_NAMES = new LinkedHashMap<>();
  static {
    CASE_NAMES.put("600b", "600 B chat");
    CASE_NAMES.put("1k", "1 KB chat");
    CASE_NAMES.put("8k", "8 KB chat");
    CASE_NAMES.put("64k", "64 KB chat");
    CASE_NAMES.put("sse", "SSE, 1 KB prompt, 100-token stream (31.9 KB)");
  }

  public static void main(String[] args) throws Exception {
    List<Row> rows = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[0]))) {
      if (line.isBlank()) continue;
      String[] f = line.split("\t");
      Map<String, Double> wrk = new LinkedHashMap<>();
      for (String kv : f[5].trim().split(" ")) {
        String[] p = kv.split("=");
        wrk.put(p[0], Double.parseDouble(p[1]));
      }
      rows.add(new Row(f[0], f[1], f[2], Integer.parseInt(f[3]), Integer.parseInt(f[4]), wrk, Long.parseLong(f[6]),
          Long.parseLong(f[7]), Integer.parseInt(f[8]), Long.parseLong(f[9]), Long.parseLong(f[10]), Long.parseLong(f[11])));
    }
    Map<String, String> info = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      info.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    StringBuilder out = new StringBuilder();
    out.append("# Tollgate load test, ").append(java.time.LocalDate.now(java.time.ZoneOffset.UTC)).append("\n\n");
    out.append("Made by `bench/run.sh`; how to read it: [docs/performance.md](../../docs/performance.md).\n\n");
    out.append("- machine: ").append(info.get("machine")).append('\n');
    out.append("- ").append(info.get("java")).append("; nginx ").append(info.get("nginx")).append("; ").append(info.get("wrk")).append('\n');
    out.append("- ").append(info.get("settings")).append('\n');
    out.append("- Tollgate ledger rows still queued at the end: ").append(info.get("ledger_pending")).append('\n');
    if (info.get("jfr") != null && !info.get("jfr").isBlank()) out.append("- JFR recording: `").append(info.get("jfr")).append("`\n");
    out.append("\nTargets: *direct* = wrk → upstream nginx; *nginx* = wrk → nginx reverse proxy → upstream; ")
        .append("*tollgate* = wrk → Tollgate (auth, attribution, 2 budgets, SQLite ledger) → upstream. ")
        .append("CPU and RSS are the proxy's own process(es) (nginx: master + workers; Tollgate: the JVM). ")
        .append("Latencies are wrk's, request sent → response read, in ms. *other CPU* is what processes outside the test ")
        .append("used meanwhile (cores, of 2): above ~0.1 the row was disturbed.\n");

    List<String> failed = new ArrayList<>();
    out.append("\n## Throughput (closed loop, wrk -t2 -c64)\n\n");
    out.append("| case | target | req/s | × nginx | p50 ms | p99 ms | p99.9 ms | proxy CPU (cores) | CPU µs/req | × nginx | RSS MB | × nginx | errors | other CPU |\n");
    out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (String c : CASE_NAMES.keySet()) {
      Row nginx = find(rows, "throughput", "nginx", c);
      for (Row r : rows) {
        if (!r.kind.equals("throughput") || !r.bodyCase.equals(c)) continue;
        out.append("| ").append(CASE_NAMES.get(c)).append(" | ").append(r.target).append(" | ").append(f0(r.rps()))
            .append(" | ").append(ratio(r.rps(), nginx == null ? 0 : nginx.rps()))
            .append(" | ").append(f3(r.ms("p50_us"))).append(" | ").append(f3(r.ms("p99_us"))).append(" | ").append(f3(r.ms("p999_us")));
        if (r.hasProxy()) {
          out.append(" | ").append(f2(r.cores())).append(" | ").append(f1(r.cpuUsPerRequest()))
              .append(" | ").append(ratio(r.cpuUsPerRequest(), nginx == null ? 0 : nginx.cpuUsPerRequest()))
              .append(" | ").append(f1(r.rssKb / 1024.0)).append(" | ").append(ratio(r.rssKb, nginx == null ? 0 : nginx.rssKb));
        } else {
          out.append(" | (upstream ").append(f2(r.upstreamCores())).append(") | – | – | – | –");
        }
        out.append(" | ").append(f0(r.errors())).append(" | ").append(f2(r.foreignCores())).append(" |\n");
        if (r.errors() > 0) failed.add(r.target + " " + c + ": " + f0(r.errors()) + " errors");
      }
    }

    out.append("\n## Latency at a fixed moderate rate (1 KB chat)\n\n");
    out.append("| target | req/s reached | p50 ms | p99 ms | p99.9 ms | added p50 ms | added p99 ms | added p99.9 ms | added p50 × nginx | proxy CPU µs/req | errors | other CPU |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    Row direct = find(rows, "latency", "direct", "1k");
    Row nginxLat = find(rows, "latency", "nginx", "1k");
    for (Row r : rows) {
      if (!r.kind.equals("latency")) continue;
      out.append("| ").append(r.target).append(" | ").append(f0(r.rps())).append(" | ").append(f3(r.ms("p50_us")))
          .append(" | ").append(f3(r.ms("p99_us"))).append(" | ").append(f3(r.ms("p999_us")));
      if (r.hasProxy() && direct != null) {
        out.append(" | ").append(f3(added(r, direct, "p50_us"))).append(" | ").append(f3(added(r, direct, "p99_us")))
            .append(" | ").append(f3(added(r, direct, "p999_us")))
            .append(" | ").append(nginxLat == null ? "–" : ratio(added(r, direct, "p50_us"), added(nginxLat, direct, "p50_us")))
            .append(" | ").append(f1(r.cpuUsPerRequest()));
      } else {
        out.append(" | – | – | – | – | –");
      }
      out.append(" | ").append(f0(r.errors())).append(" | ").append(f2(r.foreignCores())).append(" |\n");
      if (r.errors() > 0) failed.add(r.target + " latency: " + f0(r.errors()) + " errors");
    }

    out.append("\n## Targets of issue 11\n\n| target | measured | met |\n|---|---|---|\n");
    Row tgLat = find(rows, "latency", "tollgate", "1k");
    if (tgLat != null && direct != null) {
      double p50 = added(tgLat, direct, "p50_us");
      double p99 = added(tgLat, direct, "p99_us");
      out.append("| added latency p50 < 0.1 ms at ~").append(f0(tgLat.rps())).append(" req/s | ").append(f3(p50)).append(" ms | ")
          .append(p50 < 0.1 ? "met" : "missed by " + f3(p50 - 0.1) + " ms").append(" |\n");
      out.append("| added latency p99 < 1 ms at ~").append(f0(tgLat.rps())).append(" req/s | ").append(f3(p99)).append(" ms | ")
          .append(p99 < 1 ? "met" : "missed by " + f3(p99 - 1) + " ms").append(" |\n");
    }
    for (String c : CASE_NAMES.keySet()) {
      Row tg = find(rows, "throughput", "tollgate", c);
      Row ng = find(rows, "throughput", "nginx", c);
      if (tg == null || ng == null) continue;
      double share = tg.rps() / ng.rps();
      out.append("| throughput ≥ 70% of nginx, ").append(CASE_NAMES.get(c)).append(" | ").append(f0(tg.rps())).append(" vs ")
          .append(f0(ng.rps())).append(" req/s = ").append(f0(share * 100)).append("% | ")
          .append(share >= 0.7 ? "met" : "missed by " + f0((0.7 - share) * 100) + " points").append(" |\n");
    }
    if (!failed.isEmpty()) out.append("\n**Errors:** ").append(String.join("; ", failed)).append('\n');
    System.out.print(out);
  }

  static Row find(List<Row> rows, String kind, String target, String c) {
    for (Row r : rows) if (r.kind.equals(kind) && r.target.equals(target) && r.bodyCase.equals(c)) return r;
    return null;
  }

  static double added(Row r, Row direct, String percentile) {
    return (r.wrk.get(percentile) - direct.wrk.get(percentile)) / 1000.0;
  }

  static String ratio(double a, double b) {
    return b <= 0 ? "–" : String.format(Locale.ROOT, "%.2f", a / b);
  }

  static String f0(double v) { return String.format(Locale.ROOT, "%,.0f", v); }
  static String f1(double v) { return String.format(Locale.ROOT, "%.1f", v); }
  static String f2(double v) { return String.format(Locale.ROOT, "%.2f", v); }
  static String f3(double v) { return String.format(Locale.ROOT, "%.3f", v); }
}
