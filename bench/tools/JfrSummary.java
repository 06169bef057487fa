// Summarises a JFR recording of Tollgate (made with BENCH_JFR=1 bench/run.sh) by where the time and
// the allocations go in Tollgate's own code: each CPU sample and each allocation sample is charged
// to the innermost dev.tollgate frame on its stack ("self" = the top frame itself).
//   java bench/tools/JfrSummary.java recording.jfr [top-n]
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

public class JfrSummary {

  public static void main(String[] args) throws Exception {
    int top = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    Map<String, Long> cpuByOurs = new HashMap<>();
    Map<String, Long> cpuByPath = new HashMap<>();
    Map<String, Long> cpuByThread = new HashMap<>();
    Map<String, Long> cpuTop = new HashMap<>();
    Map<String, Long> allocByOurs = new HashMap<>();
    Map<String, Long> allocByClass = new HashMap<>();
    Map<String, Long> blocked = new HashMap<>();
    Map<String, long[]> threadAllocated = new HashMap<>(); // first and last cumulative figure per thread
    long samples = 0;
    long allocated = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
      String type = e.getEventType().getName();
      switch (type) {
        case "jdk.ExecutionSample" -> {
          samples++;
          RecordedStackTrace st = e.getStackTrace();
          String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
          cpuByThread.merge(threadGroup(thread), 1L, Long::sum);
          if (st == null || st.getFrames().isEmpty()) continue;
          cpuTop.merge(frame(st.getFrames().get(0)), 1L, Long::sum);
          cpuByOurs.merge(ours(st.getFrames()), 1L, Long::sum);
          cpuByPath.merge(path(st.getFrames()), 1L, Long::sum);
        }
        case "jdk.ObjectAllocationSample" -> {
          long w = e.getLong("weight");
          allocated += w;
          allocByClass.merge(e.getClass("objectClass").getName(), w, Long::sum);
          RecordedStackTrace st = e.getStackTrace();
          if (st != null) allocByOurs.merge(ours(st.getFrames()), w, Long::sum);
        }
        case "jdk.ThreadAllocationStatistics" -> {
          String thread = e.getThread("thread") == null ? "?" : e.getThread("thread").getJavaName();
          long bytes = e.getLong("allocated");
          threadAllocated.computeIfAbsent(thread, k -> new long[] {bytes, bytes})[1] = bytes;
          threadAllocated.get(thread)[0] = Math.min(threadAllocated.get(thread)[0], bytes);
        }
        case "jdk.JavaMonitorEnter", "jdk.ThreadPark" -> {
          RecordedStackTrace st = e.getStackTrace();
          String thread = e.getThread() == null ? "?" : e.getThread().getJavaName();
          if (st != null && thread.contains("eventloop")) {
            blocked.merge(type + " on " + ours(st.getFrames()), e.getDuration().toNanos() / 1000, Long::sum);
          }
        }
        default -> { }
      }
    }
    System.out.println("CPU samples: " + samples);
    print("CPU by thread", cpuByThread, samples, top, "");
    print("CPU by top frame (self)", cpuTop, samples, top, "");
    print("CPU by innermost Tollgate frame", cpuByOurs, samples, top, "");
    print("CPU by request-path step (first Tollgate stage/adapter frame from the top)", cpuByPath, samples, top, "");
    System.out.printf("%nAllocated (sampled weight): %.1f GB%n", allocated / 1e9);
    print("Allocation by innermost Tollgate frame", allocByOurs, allocated, top, "bytes");
    print("Allocation by class", allocByClass, allocated, top, "bytes");
    Map<String, Long> perThread = new HashMap<>();
    threadAllocated.forEach((t, v) -> perThread.put(t, v[1]));
    print("Bytes allocated per thread since it started (exact, jdk.ThreadAllocationStatistics, last value)", perThread, 0, top, "bytes");
    print("Event-loop threads blocked (µs, monitor enter ≥ 20 ms / park ≥ 20 ms as recorded)", blocked, 0, top, "µs");
  }

  static String threadGroup(String name) {
    return name.replaceAll("-\\d+$", "-N").replaceAll("thread-\\d+", "thread-N");
  }

  static String frame(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  static String ours(List<RecordedFrame> frames) {
    for (RecordedFrame f : frames) {
      String name = frame(f);
      if (name.startsWith("dev.tollgate.")) return name + ":" + f.getLineNumber();
    }
    return "(no Tollgate frame)";
  }

  /** The outermost-but-specific Tollgate step: the first frame of a stage, adapter, store or the HTTP edge, walking from the top. */
  static String path(List<RecordedFrame> frames) {
    String[] steps = {"dev.tollgate.pipeline.admit.", "dev.tollgate.pipeline.decode.", "dev.tollgate.pipeline.authenticate.",
        "dev.tollgate.pipeline.attribute.", "dev.tollgate.pipeline.route.", "dev.tollgate.pipeline.meter.",
        "dev.tollgate.pipeline.record.", "dev.tollgate.pipeline.call.", "dev.tollgate.provider.", "dev.tollgate.store.",
        "dev.tollgate.metrics.", "dev.tollgate.http."};
    for (RecordedFrame f : frames) {
      String name = frame(f);
      for (String s : steps) if (name.startsWith(s)) return name;
    }
    return "(outside Tollgate's request path: Vert.x/Netty I/O, GC, JIT…)";
  }

  static void print(String title, Map<String, Long> m, long total, int top, String unit) {
    System.out.println("\n" + title + ":");
    Map<String, Long> sorted = new LinkedHashMap<>();
    m.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    sorted.forEach((k, v) -> {
      if (total > 0) System.out.printf("  %6.2f%%  %s%n", 100.0 * v / total, k);
      else System.out.printf("  %,12d %s  %s%n", v, unit, k);
    });
  }
}
