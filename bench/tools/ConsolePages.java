import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Times console pages in Debian's headless Chromium, as a person opening them sees it: from asking
 * for the page until it has drawn everything it was loading (its {@code #page-<id>} is there and no
 * longer aria-busy, and no "Loading…" placeholder is left). The first visit of each page loads the console's scripts and the
 * chart library too; the later visits come from the browser's cache, as when someone clicks through
 * the menu. Prints, per page: first visit, then median and minimum of the rest.
 *
 * <pre>java -cp CLASSPATH bench/tools/ConsolePages.java BASE_URL TOKEN RUNS PAGE...</pre>
 *
 * CLASSPATH holds Playwright (the project's test class path: bench/console-calls.sh builds it).
 */
public class ConsolePages {

  public static void main(String[] args) {
    String base = args[0];
    String token = args[1];
    int runs = Integer.parseInt(args[2]);
    List<String> pages = Arrays.asList(args).subList(3, args.length);
    try (Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")))) {
      Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
          .setExecutablePath(Path.of("/usr/bin/chromium")).setHeadless(true)
          .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
              "--disable-component-update", "--disable-sync", "--no-first-run")));
      for (String route : pages) {
        // A fresh context per page: its first visit starts with an empty cache, as a new tab would.
        // CSP bypassed only so that the wait below can run in the page: the console's policy forbids eval.
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1366, 850).setBypassCSP(true));
        context.addInitScript("if (location.protocol.startsWith('http')) sessionStorage.setItem('tollgate.console.token', "
            + quoted(token) + ")");
        Page page = context.newPage();
        page.setDefaultTimeout(60_000);
        List<String> errors = new ArrayList<>();
        page.onPageError(e -> errors.add(e));
        double first = open(page, base, route);
        List<Double> later = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
          page.navigate("about:blank");
          later.add(open(page, base, route));
        }
        later.sort(null);
        System.out.printf("%-14s first %6.0f ms   then median %6.0f ms  min %6.0f ms  (%d visits)%s%n", route, first,
            later.get(later.size() / 2), later.get(0), runs, errors.isEmpty() ? "" : "  page errors: " + errors);
        context.close();
      }
      browser.close();
    }
  }

  /** Milliseconds from navigating to the page until nothing on it is loading any more. */
  static double open(Page page, String base, String route) {
    String id = route.split("\\?")[0];
    long start = System.nanoTime();
    page.navigate(base + "/console/#/" + route);
    // The page container is aria-busy until its module has drawn what it awaits; panels that load on
    // their own show a "Loading…" placeholder until their data is drawn.
    page.waitForFunction("id => { const p = document.getElementById('page-' + id);"
        + " return p !== null && !p.hasAttribute('aria-busy') && document.querySelectorAll('main .loading').length === 0; }", id);
    return (System.nanoTime() - start) / 1e6;
  }

  static String quoted(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
