package dev.tollgate.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.testing.TestGateway;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console in a real browser (Debian's headless Chromium driven by Playwright) against the real
 * gateway with the demo's config and thirty days of sample data: signing in, every page, the numbers
 * against the admin API, making a key that then works, requesting and approving an exception, and no
 * console errors anywhere. Screenshots of every page land in {@code target/console-screenshots/}.
 */
class ConsoleBrowserTest {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path SHOTS = Path.of("target", "console-screenshots");
  static final ObjectMapper JSON = new ObjectMapper();
  static final String TOKEN = TestGateway.ADMIN_TOKEN;

  @TempDir static Path dir;

  static TestGateway gateway;
  static ZoneId orgZone;
  static Playwright playwright;
  static Browser browser;

  BrowserContext context;
  Page page;
  final List<String> consoleErrors = new CopyOnWriteArrayList<>();

  static final String SKIP_MESSAGE = "No " + CHROMIUM + " — skipping the console's browser tests "
      + "(apt-get install -y chromium; .ci/run installs it when missing)";

  @BeforeAll
  static void start() throws IOException {
    if (!Files.isExecutable(CHROMIUM)) {
      System.out.println(SKIP_MESSAGE);
      return;
    }
    String yaml;
    try (InputStream in = ConsoleBrowserTest.class.getResourceAsStream("/demo/tollgate-demo.yaml")) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    GatewayConfig cfg = TestGateway.parse(yaml, Map.of("TOLLGATE_DATA", dir.resolve("data").toString(), "TOLLGATE_ADMIN_TOKEN", TOKEN), dir);
    orgZone = cfg.org().timeZone();
    gateway = TestGateway.start(cfg, Clock.systemUTC());
    assertThat(gateway.gateway().seedDemoData(Clock.systemUTC())).isPositive();
    Files.createDirectories(SHOTS);
    playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM).setHeadless(true)
        .setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run")));
  }

  @AfterAll
  static void stop() {
    if (browser != null) browser.close();
    if (playwright != null) playwright.close();
    if (gateway != null) gateway.close();
  }

  @BeforeEach
  void openPage() {
    assumeTrue(browser != null, SKIP_MESSAGE); // each test is reported as skipped, with the reason
    context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1366, 850).setAcceptDownloads(true));
    page = context.newPage();
    page.setDefaultTimeout(15_000);
    page.onConsoleMessage(m -> {
      if (m.type().equals("error") || m.type().equals("warning")) consoleErrors.add(m.type() + ": " + m.text() + " @ " + m.location());
    });
    page.onPageError(e -> consoleErrors.add("uncaught: " + e));
  }

  @AfterEach
  void closePage(TestInfo info) {
    if (context == null) return;
    if (page != null && !page.isClosed()) {
      page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("last-" + info.getTestMethod().orElseThrow().getName() + ".png")).setFullPage(true));
    }
    context.close();
    assertThat(consoleErrors).as("errors in the browser console").isEmpty();
  }

  // --- signing in -----------------------------------------------------------------------------

  @Test
  void aVisitorWithoutATokenSeesOnlyTheSignInPage() {
    page.navigate(gateway.baseUrl() + "/console/#/keys");
    assertThat(page.locator("#signin h1").textContent()).contains("Sign in");
    assertThat(page.locator("#nav").isHidden()).isTrue();
    assertThat(page.locator("#key-list").count()).isZero();
  }

  @Test
  void aWrongTokenIsRefusedInPlainWordsAndTheAdminTokenSignsIn() {
    page.navigate(gateway.baseUrl() + "/console/");
    page.getByLabel("Admin token").fill("not-the-token");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    assertThat(page.locator("#signin-status [role=alert]").textContent()).contains("That token was not accepted");
    consoleErrors.removeIf(e -> e.contains("401")); // the browser logs the refused call itself

    page.getByLabel("Admin token").fill(TOKEN);
    page.keyboard().press("Enter");
    page.locator("#page-overview").waitFor();
    assertThat(page.locator("h1").textContent()).isEqualTo("Overview");
    assertThat(page.locator("#who").textContent()).contains("Signed in as").contains("Europe/Berlin");
    assertThat((String) page.evaluate("sessionStorage.getItem('tollgate.console.token')")).isEqualTo(TOKEN);

    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();
    page.locator("#signin").waitFor();
    assertThat(page.evaluate("sessionStorage.getItem('tollgate.console.token')")).isNull();
  }

  // --- numbers match the admin API --------------------------------------------------------------

  @Test
  void theOverviewShowsTheMonthToDateSpendTheApiReports() {
    signIn("overview");
    JsonNode usage = api("/admin/v1/usage");
    Locator mtd = page.locator("#mtd-spend");
    mtd.waitFor();
    assertThat(new BigDecimal(mtd.getAttribute("data-value"))).isEqualByComparingTo(usage.at("/totals/cost_usd").decimalValue());
    assertThat(dollars(mtd.textContent())).isCloseTo(usage.at("/totals/cost_usd").decimalValue(), org.assertj.core.data.Offset.offset(new BigDecimal("0.005")));
    assertThat(Long.parseLong(page.locator("#mtd-requests").getAttribute("data-value"))).isEqualTo(usage.at("/totals/requests").asLong());

    // Top teams: each row's spend is the API's, to the cent.
    page.locator("#top-team table tbody tr").first().waitFor();
    JsonNode teams = api("/admin/v1/usage?group_by=team");
    for (JsonNode row : teams.get("rows")) {
      String team = row.get("team").isNull() ? "(none)" : row.get("team").asText();
      Locator tr = page.locator("#top-team table tbody tr", new Page.LocatorOptions().setHasText(team));
      assertThat(dollars(tr.locator("td").nth(1).textContent()))
          .isCloseTo(row.get("cost_usd").decimalValue(), org.assertj.core.data.Offset.offset(new BigDecimal("0.005")));
    }
    assertThat(page.locator("#ov-budgets").textContent()).contains("team:support");
    assertThat(page.locator("#trend-chart svg").count()).isOne();
    assertThat(page.locator("#month-chart svg").count()).isOne();
    shot("overview");
  }

  @Test
  void theExplorerGroupsByAnyDimensionAndDownloadsTheTableAsCsv() throws IOException {
    signIn("explorer?group_by=workflow,model");
    Locator rows = page.locator("#explorer-table tbody tr");
    rows.first().waitFor();
    JsonNode usage = api("/admin/v1/usage?group_by=workflow,model");
    assertThat(rows.count()).isEqualTo(usage.get("rows").size());
    assertThat(new BigDecimal(page.locator("#ex-total-cost").getAttribute("data-value"))).isEqualByComparingTo(usage.at("/totals/cost_usd").decimalValue());
    assertThat(page.locator("#ex-chart svg").count()).isOne();

    Download download = page.waitForDownload(() -> page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Download CSV")).click());
    List<String> lines = Files.readAllLines(download.path());
    assertThat(lines.get(0)).isEqualTo("workflow,model,requests,input_tokens,cached_input_tokens,output_tokens,reasoning_tokens,cost_usd");
    assertThat(lines).hasSize(usage.get("rows").size() + 1);
    assertThat(download.suggestedFilename()).startsWith("tollgate-usage_").endsWith(".csv");

    // A filter and day buckets, chosen in the form.
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add a filter")).click();
    page.getByLabel("Filter dimension").selectOption("team");
    page.getByLabel("Filter value").fill("support");
    page.getByLabel("Time buckets").selectOption("day");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Apply")).click();
    page.waitForURL(Pattern.compile(".*granularity=day.*team=support.*"));
    page.locator("#explorer-table tbody tr").first().waitFor();
    JsonNode filtered = api("/admin/v1/usage?group_by=workflow,model&granularity=day&team=support");
    assertThat(new BigDecimal(page.locator("#ex-total-cost").getAttribute("data-value")))
        .isEqualByComparingTo(filtered.at("/totals/cost_usd").decimalValue());
    shot("explorer");
  }

  @Test
  void myUsageShowsOnePersonsSpendTheirChatAndAgentsAndCheaperModels() {
    signIn("my-usage?user=ana");
    Locator spend = page.locator("#my-spend");
    spend.waitFor();
    JsonNode usage = api("/admin/v1/usage?user=ana");
    assertThat(new BigDecimal(spend.getAttribute("data-value"))).isEqualByComparingTo(usage.at("/totals/cost_usd").decimalValue());
    page.locator("#split-table").waitFor();
    assertThat(page.locator("#chat-agents").textContent()).contains("notebook");
    page.locator("#cheaper table, #cheaper .empty").first().waitFor();
    shot("my-usage");
  }

  @Test
  void myUsageShowsTheCostOnEachClassCheapestAllowedModelAsTheApiReportsIt() {
    signIn("my-usage?user=ana");
    page.locator("#cf-actual").waitFor();
    String month = orgToday().withDayOfMonth(1).toString();
    String tomorrow = orgToday().plusDays(1).toString();
    JsonNode report = api("/admin/v1/reports/counterfactual?user=ana&group_by=workload_class,model&from=" + month + "&to=" + tomorrow);
    assertThat(new BigDecimal(page.locator("#cf-actual").getAttribute("data-value")))
        .isEqualByComparingTo(report.at("/total/actual_usd").decimalValue());
    assertThat(new BigDecimal(page.locator("#cf-counterfactual").getAttribute("data-value")))
        .isEqualByComparingTo(report.at("/total/counterfactual_usd").decimalValue());
    assertThat(new BigDecimal(page.locator("#cf-difference").getAttribute("data-value")))
        .isEqualByComparingTo(report.at("/total/difference_usd").decimalValue());
    assertThat(page.locator("#counterfactual-table tbody tr").count()).isEqualTo(report.get("data").size());
  }

  @Test
  void theAdoptionPageShowsActivePeopleTeamsAndSpendPerPerson() {
    signIn("adoption");
    page.locator("#ad-active").waitFor();
    JsonNode report = api("/admin/v1/reports/adoption?from=" + orgToday().withDayOfMonth(1) + "&to=" + orgToday().plusDays(1));
    assertThat(report.at("/total/active_users").asLong()).as("the demo data names users").isPositive();
    assertThat(page.locator("#ad-active").getAttribute("data-value")).isEqualTo(report.at("/total/active_users").asText());
    assertThat(new BigDecimal(page.locator("#ad-cost-per-user").getAttribute("data-value")))
        .isEqualByComparingTo(report.at("/total/cost_per_active_user_usd").decimalValue());
    page.locator("#adoption-teams").waitFor();
    assertThat(page.locator("#adoption-teams tbody tr").count()).isEqualTo(report.get("teams").size());
    assertThat(page.locator("#adoption-people tbody tr").count()).isEqualTo(report.get("people").size());
    shot("adoption");
  }

  /** The console picks "this month" and "tomorrow" in the org's time zone, as the API reads dates; so must the test. */
  static LocalDate orgToday() {
    return LocalDate.now(orgZone);
  }

  // --- acting -------------------------------------------------------------------------------------

  @Test
  void aKeyMadeInTheConsoleShowsItsSecretOnceAndWorksOnTheDataPlane() {
    signIn("keys");
    page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("console-made");
    page.getByLabel("Team (pays)").fill("support");
    page.getByLabel("Workflow").fill("console-check");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create key")).click();
    Locator secretBox = page.locator("#new-key-secret");
    secretBox.waitFor();
    String secret = secretBox.inputValue();
    assertThat(secret).startsWith("tg-");
    assertThat(page.locator("#secret-panel").textContent()).contains("shown only once");
    shot("keys-secret");
    page.locator("#keys-table tbody tr", new Page.LocatorOptions().setHasText("console-made")).waitFor();

    HttpResponse<String> chat = gateway.post("/v1/chat/completions", secret,
        "{\"model\":\"gpt-4o-mini\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}");
    assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
    assertThat(gateway.row(chat).attribution().workflow()).isEqualTo("console-check");

    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("I have stored it — hide the secret")).click();
    assertThat(page.content()).doesNotContain(secret);
    page.reload();
    page.locator("#keys-table").waitFor();
    assertThat(page.content()).doesNotContain(secret);

    // Revoke it: the data plane refuses it at once.
    page.onDialog(d -> d.accept());
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Revoke console-made")).click();
    page.locator("#keys-table tbody tr", new Page.LocatorOptions().setHasText("console-made")).getByText("revoked").first().waitFor();
    assertThat(gateway.post("/v1/chat/completions", secret, "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
        .statusCode()).isEqualTo(401);
  }

  @Test
  void anExceptionIsRequestedAndApprovedByClicking() {
    signIn("exceptions");
    page.getByLabel("For", new Page.GetByLabelOptions().setExact(true)).selectOption("user");
    page.getByLabel("Who or what").fill("ana");
    page.getByLabel("Charged to team").fill("research");
    page.getByLabel("Workload class").selectOption("executive-synthesis");
    page.getByLabel("premium").check();
    page.getByLabel("Extra budget (USD)").fill("200");
    page.getByLabel("Why it is needed").fill("board deck due Friday");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Request exception")).click();
    String message = page.locator("#exc-form-status [role=status]").textContent();
    String id = message.replaceAll(".*(exc_[a-z0-9]+).*", "$1");
    assertThat(id).startsWith("exc_");

    Locator item = page.locator("#exc-queue li[data-id='" + id + "']");
    item.waitFor();
    assertThat(item.textContent()).contains("user:ana").contains("board deck due Friday").contains("$200.00");
    shot("exceptions-queue");
    item.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Approve " + id)).click();
    page.locator("#active-table tbody tr", new Page.LocatorOptions().setHasText("user:ana")).first().waitFor();
    assertThat(page.locator("#exc-queue li[data-id='" + id + "']").count()).isZero();
    assertThat(api("/admin/v1/exceptions/" + id).get("state").asText()).isIn("approved", "active");
    shot("exceptions");
  }

  @Test
  void budgetsShowHeadroomAndABudgetIsCreatedFromTheForm() {
    signIn("budgets");
    Locator support = page.locator(".budget[data-subject='team:support']");
    support.first().waitFor();
    assertThat(support.first().textContent()).contains("$8,000.00").contains("hard cap");
    page.getByLabel("Applies to").selectOption("workflow");
    page.getByLabel("Which one").fill("ticket-triage");
    page.getByLabel("Window").selectOption("day");
    page.getByLabel("Limit").fill("25");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create budget")).click();
    assertThat(page.locator("#budget-form-status .notice").textContent()).contains("created");
    page.locator(".budget[data-subject='workflow:ticket-triage']").first().waitFor();
    boolean listed = false;
    for (JsonNode b : api("/admin/v1/budgets").get("data")) listed |= b.get("scope").asText().equals("workflow:ticket-triage");
    assertThat(listed).isTrue();
    shot("budgets");
  }

  @Test
  void theSimulateFormShowsThePolicyDecision() {
    signIn("policy");
    page.locator("#classes-table").waitFor();
    assertThat(page.locator("#classes-table").textContent()).contains("executive-synthesis").contains("local-llama");
    page.getByLabel("As key").selectOption("support-triage");
    page.getByLabel("Model asked for").selectOption("gpt-4o");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Simulate")).click();
    Locator result = page.locator("#sim-result dl");
    result.waitFor();
    assertThat(page.locator("#sim-result").textContent()).contains("classification").contains("gpt-4o-mini");
    shot("policy");
  }

  // --- every page ----------------------------------------------------------------------------------

  @Test
  void everyPageLoadsFromTheMenuWithLabelsAndNoErrors() throws IOException {
    signIn("overview");
    List<String> served = served();
    Locator links = page.locator("#nav a");
    int count = links.count();
    assertThat(count).isGreaterThanOrEqualTo(13);
    for (int i = 0; i < count; i++) {
      Locator link = page.locator("#nav a").nth(i);
      String href = link.getAttribute("href");
      String id = href.substring(2);
      link.click();
      page.waitForURL(Pattern.compile(".*" + Pattern.quote(href) + "$"));
      page.locator("#page-" + id).waitFor();
      settle();
      assertThat(page.locator("h1").textContent()).as(href).isEqualTo(link.textContent().replace("not in this build", "").trim());
      assertThat(link.getAttribute("aria-current")).isEqualTo("page");
      assertThat(page.locator("main [role=alert]").count()).as("error boxes on " + href).isZero();
      assertThat(page.locator("main .loading").count()).as("still loading on " + href).isZero();
      boolean unavailable = link.textContent().contains("not in this build");
      if (unavailable) {
        assertThat(page.locator("#not-available").textContent()).contains("Not available in this build").contains("/admin/v1/");
      }
      List<?> unlabelled = (List<?>) page.evaluate("""
          () => [...document.querySelectorAll('main input, main select, main textarea')]
            .filter(e => e.type !== 'hidden' && !e.labels?.length && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
            .map(e => e.name || e.id || e.outerHTML.slice(0, 60))""");
      assertThat(unlabelled).as("form controls without a label on " + href).isEmpty();
      shot(id);
    }
    assertThat(served).contains("GET /admin/v1/usage", "POST /admin/v1/keys");
  }

  @Test
  void theConsoleIsUsableFromTheKeyboard() {
    page.navigate(gateway.baseUrl() + "/console/#/prices");
    page.locator("#signin").waitFor();
    assertThat((String) page.evaluate("document.activeElement.type")).isEqualTo("password");
    page.keyboard().type(TOKEN);
    page.keyboard().press("Enter");
    page.locator("#prices-table").waitFor();
    assertThat((String) page.evaluate("document.activeElement.tagName")).isEqualTo("H1");
    // Sorting a column is a button: Enter on it sorts, and the header says how.
    page.locator("#prices-table th button", new Page.LocatorOptions().setHasText("Input")).first().focus();
    page.keyboard().press("Enter");
    assertThat(page.locator("#prices-table th[aria-sort]").count()).isOne();
  }

  // --- roles (where the build has personal admin tokens) ------------------------------------------

  @Test
  void aMemberSeesTheirOwnUsageAndNotOtherTeamsData() throws IOException {
    assumeTrue(served().containsAll(List.of("POST /admin/v1/tokens", "GET /admin/v1/whoami")),
        "SKIPPED: this build has no personal admin tokens (POST /admin/v1/tokens), so there is no member to sign in as");
    HttpResponse<String> made = gateway.post("/admin/v1/tokens", TOKEN,
        "{\"name\":\"ana-console\",\"role\":\"member\",\"user\":\"ana\",\"teams\":[\"research\"]}");
    assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
    String memberToken = JSON.readTree(made.body()).get("secret").asText();

    page.navigate(gateway.baseUrl() + "/console/");
    page.getByLabel("Admin token").fill(memberToken);
    page.keyboard().press("Enter");
    Locator spend = page.locator("#my-spend");
    spend.waitFor();
    assertThat(page.locator("h1").textContent()).isEqualTo("My usage");
    HttpResponse<String> own = gateway.get("/admin/v1/usage?user=ana", TOKEN);
    assertThat(new BigDecimal(spend.getAttribute("data-value"))).isEqualByComparingTo(JSON.readTree(own.body()).at("/totals/cost_usd").decimalValue());
    assertThat(page.locator("#nav").textContent()).doesNotContain("Overview").doesNotContain("Keys").doesNotContain("Explorer");
    assertThat(page.locator("#user-picker").count()).as("a member picks no other user").isZero();

    // Asking for someone else's usage in the address still shows only their own.
    page.navigate(gateway.baseUrl() + "/console/#/my-usage?user=user1");
    page.locator("#my-spend").waitFor();
    assertThat(page.locator("#page-my-usage h2").first().textContent()).startsWith("ana,");
    assertThat(new BigDecimal(page.locator("#my-spend").getAttribute("data-value")))
        .isEqualByComparingTo(JSON.readTree(own.body()).at("/totals/cost_usd").decimalValue());

    page.navigate(gateway.baseUrl() + "/console/#/explorer?group_by=team");
    page.locator("#page-explorer").waitFor();
    assertThat(page.locator("#page-explorer").textContent()).contains("Not for your role");
    assertThat(page.locator("#explorer-table").count()).isZero();
    shot("member");
  }

  @Test
  void anAdminTokenMadeInTheConsoleSignsInWithItsRoleUntilItIsRevoked() throws IOException {
    signIn("tokens");
    page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("lena-support-lead");
    page.getByLabel("Role").selectOption("team-lead");
    page.getByLabel("Teams").fill("support");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create token")).click();
    Locator secretBox = page.locator("#new-token-secret");
    secretBox.waitFor();
    String secret = secretBox.inputValue();
    assertThat(page.locator("#token-secret-panel").textContent()).contains("shown only once");
    shot("tokens-secret");
    page.locator("#tokens-table tbody tr", new Page.LocatorOptions().setHasText("lena-support-lead")).waitFor();

    JsonNode me = JSON.readTree(gateway.get("/admin/v1/whoami", secret).body());
    assertThat(me.get("role").asText()).isEqualTo("team-lead");
    assertThat(me.get("teams").toString()).isEqualTo("[\"support\"]");

    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("I have handed it over — hide the token")).click();
    assertThat(page.content()).doesNotContain(secret);
    page.onDialog(d -> d.accept());
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Revoke lena-support-lead")).click();
    page.locator("#tokens-table tbody tr", new Page.LocatorOptions().setHasText("lena-support-lead")).getByText("revoked").first().waitFor();
    assertThat(gateway.get("/admin/v1/whoami", secret).statusCode()).isEqualTo(401);
  }

  // --- helpers -------------------------------------------------------------------------------------

  private static List<String> served() throws IOException {
    List<String> out = new ArrayList<>();
    JSON.readTree(gateway.get("/console/routes.json", null).body()).get("routes").forEach(r -> out.add(r.asText()));
    return out;
  }

  private void signIn(String route) {
    page.navigate(gateway.baseUrl() + "/console/#/" + route);
    page.getByLabel("Admin token").fill(TOKEN);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    page.locator("#page-" + route.split("\\?")[0]).waitFor();
  }

  /** Waits until the page has drawn everything it was loading. */
  private void settle() {
    page.waitForCondition(() -> page.locator("main .loading").count() == 0);
  }

  private void shot(String name) {
    settle();
    page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + ".png")).setFullPage(true));
  }

  private static JsonNode api(String path) {
    HttpResponse<String> r = gateway.get(path, TOKEN);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static BigDecimal dollars(String shown) {
    return new BigDecimal(shown.replaceAll("[^0-9.\\-]", ""));
  }
}
