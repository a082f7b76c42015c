package dev.lookout.it.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.it.support.AppProcess;
import dev.lookout.it.support.CollectorProcess;
import dev.lookout.it.support.Jars;
import dev.lookout.it.support.LookoutApi;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The web UI in Debian's Chromium against a real collector fed by two real instrumented
 * applications (Spring Boot and Tomcat 11): every view renders its data, Live streams without
 * reload, filters change rows and URL, captured markup stays text. Screenshots of every view go
 * to integration-tests/target/screenshots/ for review.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UiIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration ARRIVAL = Duration.ofSeconds(90);
  private static final String SHOP = "ui-shop";
  private static final String BILLING = "ui-billing";
  private static final String XSS = "ui-xss";
  private static final String SPANS = "ui-spans";
  private static final String XSS_PATH_SCRIPT = "/xss/<script>window.__xss='path-script'</script>";
  private static final String XSS_PATH_IMG = "/xss/<img src=x onerror=\"window.__xss='path-img'\">";
  private static final String XSS_LOG = "<img src=x onerror=\"window.__xss='log-img'\"> and <script>window.__xss='log-script'</script>";

  private CollectorProcess collector;
  private LookoutApi api;
  private AppProcess shop;
  private AppProcess billing;
  private Browser browser;
  private String base;
  private String xssTraceId;

  @BeforeAll
  void start() {
    assertThat(Browser.available()).as("Chromium and chromedriver at /usr/bin (scripts/test.sh installs Debian's"
        + " chromium and chromium-driver)").isTrue();
    collector = CollectorProcess.start("--no-auth");
    api = collector.api();
    base = "http://127.0.0.1:" + collector.port() + "/";
    Path jdk = Jars.applicationJdks().get(0);
    shop = AppProcess.start(jdk, Jars.sample("spring-boot"), agentArgs(SHOP));
    billing = AppProcess.start(jdk, Jars.sample("tomcat11"), agentArgs(BILLING) + ";capture.bodies=true");

    for (String p : List.of("/hello", "/orders/42", "/orders/7", "/boom", "/logged-error", "/async", "/status/404")) {
      shop.get(p);
    }
    for (String p : List.of("/hello", "/status/201", "/status/503", "/boom", "/logged-error", "/spawn", "/forward", "/async")) {
      billing.get(p);
    }
    billing.get("/hello?password=secret&x=1", "Authorization", "Bearer very-secret", "X-Trace-Me", "visible");
    billing.post("/form", "user=alice&password=form-secret", "application/x-www-form-urlencoded");
    for (int i = 0; i < 45; i++) {
      billing.get("/status/" + (i % 2 == 0 ? 200 : 204));
    }
    api.awaitRequest("service=" + BILLING + "&path=/hello", r -> r.path("query").asText().contains("password"), ARRIVAL);
    api.awaitRequest("service=" + SHOP + "&path=/status/404", r -> true, ARRIVAL);
    api.awaitRequest("service=" + BILLING + "&path=/status/204&limit=100", r -> true, ARRIVAL);
    postXssRecords(XSS_PATH_SCRIPT);
    xssTraceId = postXssRecords(XSS_PATH_IMG);
    api.awaitRequest("service=" + XSS, r -> r.path("path").asText().equals(XSS_PATH_IMG), ARRIVAL);
    browser = new Browser();
  }

  /** The UI works under the collector's Content-Security-Policy: the browser console names no violation. */
  @AfterEach
  void noContentSecurityPolicyViolation() {
    if (browser != null) {
      assertThat(browser.cspViolations()).as("Content-Security-Policy violations in the browser console").isEmpty();
    }
  }

  @AfterAll
  void stop() {
    for (AutoCloseable c : new AutoCloseable[] {browser, shop, billing, collector}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // keep closing the rest
      }
    }
  }

  private String agentArgs(String service) {
    return "collector.url=" + collector.otlpUrl() + ";service.name=" + service;
  }

  /** A request whose path carries markup, with one log line whose message carries markup too. */
  private String postXssRecords(String path) {
    String traceId = OtlpJson.hex(16);
    String spanId = OtlpJson.hex(8);
    long now = System.currentTimeMillis();
    OtlpJson.request(collector.otlpUrl(), XSS, traceId, spanId, path, 200, now - 20, 15);
    OtlpJson.log(collector.otlpUrl(), XSS, traceId, spanId, "WARN", XSS_LOG, now - 10);
    return traceId;
  }

  // ------------------------------------------------------------------ helpers

  private void open(String queryAndHash) {
    browser.open(base + queryAndHash);
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, String>> rows(String tbodyId) {
    return (List<Map<String, String>>) browser.js(
        "return [...document.querySelectorAll('#' + arguments[0] + ' > tr.request-row')].map(r => ({"
            + "traceId: r.dataset.traceId, service: r.querySelector('.col-service').textContent,"
            + "method: r.querySelector('.col-method').textContent, path: r.querySelector('.path').textContent,"
            + "status: r.querySelector('.col-status').textContent, duration: r.querySelector('.col-duration').textContent,"
            + "fresh: String(r.classList.contains('live-new'))}))", tbodyId);
  }

  private List<Map<String, String>> awaitRows(String tbodyId, String what,
      java.util.function.Predicate<List<Map<String, String>>> ok) {
    return browser.await(what, WAIT, d -> {
      List<Map<String, String>> rows = rows(tbodyId);
      return !rows.isEmpty() && ok.test(rows) ? rows : null;
    });
  }

  private void awaitUrlContains(String fragment) {
    browser.await("URL containing " + fragment, WAIT, d -> d.getCurrentUrl().contains(fragment) ? true : null);
  }

  private void select(String id, String value) {
    new Select(browser.byId(id)).selectByValue(value);
  }

  private void type(String id, String text) {
    WebElement input = browser.byId(id);
    input.clear();
    input.sendKeys(text, Keys.ENTER);
  }

  private void assertNothingExecuted() {
    assertThat(browser.js("return window.__xss === undefined ? null : String(window.__xss)")).isNull();
    assertThat(browser.js("return document.querySelectorAll('img').length")).isEqualTo(0L);
    assertThat(browser.js("return document.querySelectorAll('script').length")).isEqualTo(1L);
  }

  private String text(String css) {
    return browser.driver.findElement(By.cssSelector(css)).getText();
  }

  // ------------------------------------------------------------------ content security policy

  @Test
  @Order(0)
  void theConsoleWatchSeesAViolationOfThePolicy() {
    open("#/live");
    browser.await("live view", WAIT, d -> browser.byId("view-live").isDisplayed() ? true : null);
    browser.consoleLines(); // what loading the page logged is for the @AfterEach check
    browser.js("document.body.setAttribute('style', 'outline: 1px solid red')"); // an inline style: refused
    List<String> seen = browser.await("the refusal in the console", WAIT, d -> {
      List<String> v = browser.cspViolations();
      return v.isEmpty() ? null : v;
    });
    assertThat(seen).anySatisfy(line -> assertThat(line).contains("style-src 'self'"));
    assertThat(browser.js("return document.body.style.outlineStyle")).isEqualTo("");
    browser.js("document.body.removeAttribute('style')");
  }

  // ------------------------------------------------------------------ live

  @Test
  @Order(1)
  void liveShowsRequestsMadeAfterThePageLoadedAndMeasuresTheirLatency() {
    open("#/live");
    awaitRows("requests-body", "initial Live rows", r -> r.size() >= 10);
    browser.await("live stream connected", WAIT, d -> "live".equals(browser.byId("live-status").getAttribute("data-state")) ? true : null);
    browser.js("window.__samePage = 'yes'; window.__seen = {};"
        + "new MutationObserver(ms => { const now = Date.now(); for (const m of ms) for (const n of m.addedNodes) {"
        + "  if (n.nodeType !== 1 || !n.matches('tr.request-row')) continue;"
        + "  const p = n.querySelector('.path').textContent;"
        + "  if (!(p in window.__seen)) window.__seen[p] = {at: now, fresh: n.classList.contains('live-new')}; } })"
        + ".observe(document.getElementById('requests-body'), {childList: true});");

    List<Long> latencies = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String path = "/orders/" + (9000 + i);
      long sent = System.currentTimeMillis();
      assertThat(shop.get(path).statusCode()).isEqualTo(200);
      @SuppressWarnings("unchecked")
      Map<String, Object> seen = browser.await("row for " + path + " in Live", WAIT,
          d -> (Map<String, Object>) browser.js("return window.__seen[arguments[0]] || null", path));
      assertThat(seen.get("fresh")).as("new rows are highlighted").isEqualTo(true);
      latencies.add(((Number) seen.get("at")).longValue() - sent);
    }
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    System.out.printf("UI live latency (request sent -> its row in the browser's Live table), ms: %s; median %d, max %d%n",
        latencies, sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
    assertThat(browser.js("return window.__samePage")).as("no reload").isEqualTo("yes");
    Map<String, String> top = rows("requests-body").get(0);
    assertThat(top.get("path")).isEqualTo("/orders/9004");
    assertThat(top.get("service")).isEqualTo(SHOP);
    browser.screenshot("01-live");
  }

  @Test
  @Order(2)
  void pauseHoldsNewRowsUntilResume() {
    open("#/live");
    awaitRows("requests-body", "Live rows", r -> true);
    browser.await("live stream connected", WAIT, d -> "live".equals(browser.byId("live-status").getAttribute("data-state")) ? true : null);
    WebElement toggle = browser.byId("live-toggle");
    toggle.click();
    assertThat(toggle.getText()).startsWith("Resume");
    shop.get("/orders/9100");
    browser.await("paused counter", WAIT, d -> toggle.getText().contains("1 new") ? true : null);
    assertThat(rows("requests-body")).noneMatch(r -> r.get("path").equals("/orders/9100"));
    browser.screenshot("02-live-paused");
    toggle.click();
    awaitRows("requests-body", "held row shown after resume", r -> r.get(0).get("path").equals("/orders/9100"));
    assertThat(toggle.getText()).isEqualTo("Pause");
  }

  @Test
  @Order(3)
  void liveFiltersApplyServerSideAndLiveInTheUrl() {
    open("#/live");
    awaitRows("requests-body", "Live rows", r -> true);
    select("filter-status", "5xx");
    awaitUrlContains("status=5xx");
    awaitRows("requests-body", "only 5xx rows", r -> r.stream().allMatch(x -> x.get("status").startsWith("5")));
    browser.await("live stream reconnected", WAIT, d -> "live".equals(browser.byId("live-status").getAttribute("data-state")) ? true : null);
    int before = rows("requests-body").size();
    billing.get("/hello");
    billing.get("/status/502");
    awaitRows("requests-body", "new 502 row", r -> r.get(0).get("path").equals("/status/502"));
    assertThat(rows("requests-body")).hasSize(before + 1).allMatch(x -> x.get("status").startsWith("5"));
    browser.byId("filter-clear").click();
    browser.await("status gone from the URL", WAIT, d -> d.getCurrentUrl().contains("status=") ? null : true);
  }

  // ------------------------------------------------------------------ requests

  @Test
  @Order(4)
  void requestFiltersChangeRowsAndUrlAndALinkReproducesTheView() {
    open("#/requests");
    List<Map<String, String>> all = awaitRows("search-body", "first page", r -> r.size() == 50);
    assertThat(browser.byId("search-next").isEnabled()).isTrue();
    browser.byId("search-next").click();
    awaitRows("search-body", "second page", r -> !r.get(0).get("traceId").equals(all.get(0).get("traceId")));
    assertThat(browser.byId("search-prev").isEnabled()).isTrue();

    select("filter-status", "5xx");
    awaitUrlContains("status=5xx");
    awaitRows("search-body", "5xx rows", r -> r.stream().allMatch(x -> x.get("status").startsWith("5")));
    type("filter-path", "/boom");
    awaitUrlContains("path=%2Fboom");
    awaitRows("search-body", "/boom rows", r -> r.size() == 2 && r.stream().allMatch(x -> x.get("path").equals("/boom")));
    select("filter-service", SHOP);
    awaitUrlContains("service=" + SHOP);
    List<Map<String, String>> shopBooms = awaitRows("search-body", "shop's /boom",
        r -> r.size() == 1 && r.get(0).get("service").equals(SHOP));
    browser.screenshot("03-requests-filtered");

    String link = browser.driver.getCurrentUrl();
    browser.open("about:blank");
    browser.open(link);
    awaitRows("search-body", "same rows from the link", r -> r.equals(shopBooms));
    assertThat(browser.byId("filter-status").getAttribute("value")).isEqualTo("5xx");
    assertThat(browser.byId("filter-path").getAttribute("value")).isEqualTo("/boom");
    assertThat(browser.byId("filter-service").getAttribute("value")).isEqualTo(SHOP);

    open("?minDurationMs=40#/requests");
    awaitRows("search-body", "slow rows only", r -> r.stream().allMatch(x -> Double.parseDouble(x.get("duration")) >= 40));
    select("filter-range", "15m");
    awaitUrlContains("range=15m");
    awaitRows("search-body", "rows of the last 15 minutes", r -> true);
    browser.screenshot("04-requests");
  }

  // ------------------------------------------------------------------ detail

  @Test
  @Order(5)
  void detailShowsOneTimelineCollapsibleStacksAndRedactedHeaders() {
    open("?service=" + BILLING + "&path=/logged-error#/requests");
    awaitRows("search-body", "the logged error", r -> r.size() == 1);
    browser.driver.findElement(By.cssSelector("#search-body tr.request-row .path")).click();
    browser.await("detail timeline", WAIT, d -> browser.all("#detail-timeline li.timeline-item").size() >= 4 ? true : null);
    assertThat(browser.driver.getCurrentUrl()).contains("#/request/");
    @SuppressWarnings("unchecked")
    List<String> kinds = (List<String>) browser.js(
        "return [...document.querySelectorAll('#detail-timeline li.timeline-item')].map(li => li.dataset.kind)");
    assertThat(kinds.get(0)).isEqualTo("request");
    assertThat(kinds.get(kinds.size() - 1)).isEqualTo("end");
    assertThat(kinds).contains("log", "exception");
    assertThat(text("#detail-timeline li.kind-log .log-message")).contains("could not parse the order number");
    WebElement stack = browser.driver.findElement(By.cssSelector("#detail-timeline li.kind-exception details.stack"));
    assertThat(stack.getAttribute("open")).isNull();
    assertThat(stack.findElement(By.cssSelector("summary")).getText()).contains("NumberFormatException");
    stack.findElement(By.cssSelector("summary")).click();
    assertThat(stack.getAttribute("open")).isNotNull();
    assertThat(stack.findElements(By.cssSelector(".app-frame"))).isNotEmpty()
        .allMatch(f -> f.getText().contains("dev.lookout.sample"));
    browser.screenshot("05-detail-timeline");

    JsonNode secret = api.awaitRequest("service=" + BILLING + "&path=/hello", r -> r.path("query").asText().contains("password"), WAIT);
    assertThat(secret.path("query").asText()).doesNotContain("secret");
    open("#/request/" + secret.path("traceId").asText() + "/" + secret.path("startTime").asLong());
    browser.await("headers", WAIT, d -> browser.all("#detail-headers tr.header-redacted").isEmpty() ? null : true);
    WebElement auth = browser.driver.findElement(By.cssSelector("#detail-headers tr.header-redacted"));
    assertThat(auth.getText()).containsIgnoringCase("authorization").contains("***").contains("redacted");
    assertThat(auth.findElement(By.cssSelector(".redacted")).getText()).isEqualTo("***");
    assertThat(browser.byId("detail-headers").getText()).doesNotContain("very-secret").containsIgnoringCase("x-trace-me");
    assertThat(browser.byId("detail-summary").getText()).contains("password=***");
    browser.js("document.getElementById('detail-headers').scrollIntoView()");
    browser.screenshot("06-detail-headers");

    JsonNode form = api.awaitRequest("service=" + BILLING + "&path=/form", r -> true, WAIT);
    open("#/request/" + form.path("traceId").asText() + "/" + form.path("startTime").asLong());
    browser.await("bodies", WAIT, d -> browser.all("#detail-bodies pre[data-body=request]").isEmpty() ? null : true);
    WebElement requestBody = browser.driver.findElement(By.cssSelector("#detail-bodies pre[data-body=request]"));
    assertThat(requestBody.getText()).isEqualTo("user=alice&password=***");
    assertThat(requestBody.findElement(By.cssSelector(".redacted")).getText()).isEqualTo("***");
    assertThat(text("#detail-bodies pre[data-body=response]")).isEqualTo("user=alice");
    assertThat(browser.byId("detail-bodies").getText()).doesNotContain("form-secret");
  }

  @Test
  @Order(5)
  void aRowOfTheRequestListOpensItsOwnServerSpanOfATraceWithTwo() {
    String traceId = OtlpJson.hex(16);
    String backSpan = OtlpJson.hex(8);
    long now = System.currentTimeMillis();
    OtlpJson.request(collector.otlpUrl(), SPANS, traceId, OtlpJson.hex(8), "/spans/front", 200, now - 40, 30);
    OtlpJson.request(collector.otlpUrl(), SPANS, traceId, backSpan, "/spans/back", 200, now - 30, 10);
    api.awaitRequest("service=" + SPANS + "&path=/spans/back", r -> true, ARRIVAL);
    open("?service=" + SPANS + "&path=/spans/back#/requests");
    awaitRows("search-body", "the second server span", r -> r.size() == 1);
    browser.driver.findElement(By.cssSelector("#search-body tr.request-row .path")).click();
    awaitUrlContains("/" + backSpan);
    browser.await("the clicked request", WAIT,
        d -> browser.all("#detail-summary").stream().anyMatch(e -> e.getText().contains("/spans/")) ? true : null);
    assertThat(text("#detail-summary")).contains("/spans/back").contains(backSpan).doesNotContain("/spans/front");
  }

  // ------------------------------------------------------------------ exceptions, logs

  @Test
  @Order(6)
  void exceptionGroupsShowCountsSparklinesAndOpenASampleRequest() {
    open("#/exceptions");
    browser.await("exception groups", WAIT, d -> browser.all("#exceptions-body tr.exception-group").size() >= 4 ? true : null);
    String table = browser.byId("exceptions-body").getText();
    assertThat(table).contains("IllegalStateException", "NumberFormatException", SHOP, BILLING);
    assertThat(browser.all("#exceptions-body tr.exception-group svg.sparkline polyline")).isNotEmpty();
    assertThat(browser.all("#exceptions-body .badge-new")).as("everything here appeared just now").isNotEmpty();
    browser.screenshot("07-exceptions");
    WebElement boom = browser.driver.findElements(By.cssSelector("#exceptions-body tr.exception-group")).stream()
        .filter(r -> r.getText().contains("boom from tomcat11")).findFirst().orElseThrow();
    boom.findElement(By.cssSelector("a.sample-link")).click();
    browser.await("sample request", WAIT, d -> browser.all("#detail-timeline li.kind-exception").isEmpty() ? null : true);
    assertThat(browser.byId("detail-summary").getText()).contains("/boom").contains("500");
  }

  @Test
  @Order(7)
  void logsFilterByLevelAndTextAndLinkToTheirRequest() {
    open("#/logs");
    browser.await("log rows", WAIT, d -> browser.all("#logs-body tr.log-row").size() >= 5 ? true : null);
    type("logs-q", "hello from");
    awaitUrlContains("lq=hello+from");
    browser.await("searched rows", WAIT, d -> {
      List<WebElement> rows = browser.all("#logs-body tr.log-row .log-message");
      return !rows.isEmpty() && rows.stream().allMatch(m -> m.getText().contains("hello from")) ? true : null;
    });
    browser.screenshot("08-logs-search");
    browser.byId("logs-q").clear();
    type("logs-q", "");
    select("logs-level", "ERROR");
    awaitUrlContains("level=ERROR");
    browser.await("ERROR rows only", WAIT, d -> {
      List<WebElement> levels = browser.all("#logs-body tr.log-row .level");
      return !levels.isEmpty() && levels.stream().allMatch(l -> l.getText().equals("ERROR")) ? true : null;
    });
    browser.screenshot("09-logs");
    browser.driver.findElement(By.cssSelector("#logs-body tr.log-row a.log-trace-link")).click();
    browser.await("request of the log line", WAIT, d -> browser.all("#detail-timeline li.kind-log").isEmpty() ? null : true);
  }

  // ------------------------------------------------------------------ overview, zero-copy, storage

  @Test
  @Order(8)
  void overviewChartsEachServiceAndListsTheSlowestRoutes() {
    open("?orange=15m#/overview");
    browser.await("service charts", WAIT, d -> browser.all("#overview-charts article.overview-service").size() >= 3 ? true : null);
    assertThat(browser.all("#overview-charts article.overview-service[data-service='" + SHOP + "'] figure.chart")).hasSize(3);
    assertThat(browser.all("#overview-charts figure.chart svg path.series")).isNotEmpty();
    browser.await("slow routes", WAIT, d -> browser.all("#overview-slow-body tr.slow-route-row").isEmpty() ? null : true);
    assertThat(browser.byId("overview-slow-body").getText()).contains("/async");
    browser.screenshot("10-overview");
  }

  @Test
  @Order(9)
  void zeroCopyListsCallSitesCandidatesFirstOrSaysThereIsNoData() {
    LookoutApi.Answer io = api.get("/api/io");
    open("#/zero-copy");
    browser.await("I/O table or its empty note", WAIT, d ->
        !browser.all("#zerocopy-body tr.io-row").isEmpty() || !browser.byId("zerocopy-empty").getText().isEmpty() ? true : null);
    if (io.status() == 200 && io.body().path("items").size() > 0) {
      @SuppressWarnings("unchecked")
      List<String> verdicts = (List<String>) browser.js(
          "return [...document.querySelectorAll('#zerocopy-body tr.io-row')].map(r => r.dataset.verdict)");
      assertThat(verdicts).hasSize(io.body().path("items").size());
      int firstOther = verdicts.indexOf(verdicts.stream().filter(v -> !v.equals("candidate")).findFirst().orElse("none"));
      assertThat(verdicts.subList(Math.max(firstOther, 0), verdicts.size())).doesNotContain("candidate");
      // rows made inside requests link to an example request, the rest (I/O outside requests) do not
      long examples = 0;
      for (JsonNode i : io.body().path("items")) {
        examples += i.path("sampleTraceId").isTextual() ? 1 : 0;
      }
      Object links = browser.js("return document.querySelectorAll('#zerocopy-body a.io-example').length");
      assertThat(((Number) links).longValue()).as("example-request links").isEqualTo(examples);
    } else {
      assertThat(browser.byId("zerocopy-empty").getText()).isNotBlank();
    }
    browser.screenshot("11-zero-copy");
  }

  @Test
  @Order(10)
  void storageShowsSizeAgainstTheCapRetentionAndDrops() {
    LookoutApi.Answer stats = api.get("/api/stats");
    open("#/storage");
    if (stats.status() == 200) {
      browser.await("storage table", WAIT, d -> browser.all("#storage-table tr.storage-row").isEmpty() ? null : true);
      assertThat(browser.byId("storage-size").getText()).contains(" of ");
      assertThat(browser.byId("storage-table").getText()).contains("requests", "logs", "exceptions");
      assertThat(browser.byId("storage-drops").getText()).contains(stats.body().path("agentDrops").asText("0"));
    } else {
      browser.await("storage note", WAIT, d -> browser.byId("storage-empty").getText().isEmpty() ? null : true);
    }
    browser.screenshot("12-storage");
  }

  // ------------------------------------------------------------------ safety

  @Test
  @Order(11)
  void markupInPathsAndLogMessagesIsShownAsTextAndNeverRuns() {
    open("?service=" + XSS + "#/live");
    awaitRows("requests-body", "markup paths", r -> r.size() == 2);
    browser.await("live stream connected", WAIT, d -> "live".equals(browser.byId("live-status").getAttribute("data-state")) ? true : null);
    String liveTrace = postXssRecords(XSS_PATH_SCRIPT); // arrives through the stream as well
    awaitRows("requests-body", "live markup row", r -> r.size() == 3 && r.get(0).get("traceId").equals(liveTrace));
    assertThat(rows("requests-body")).extracting(r -> r.get("path"))
        .containsExactlyInAnyOrder(XSS_PATH_SCRIPT, XSS_PATH_SCRIPT, XSS_PATH_IMG);
    assertNothingExecuted();
    browser.screenshot("13-xss-live");

    open("?service=" + XSS + "#/logs");
    browser.await("markup log lines", WAIT, d -> browser.all("#logs-body tr.log-row").size() >= 3 ? true : null);
    assertThat(browser.all("#logs-body .log-message")).allMatch(m -> m.getText().equals(XSS_LOG));
    assertNothingExecuted();

    open("#/request/" + xssTraceId);
    browser.await("markup detail", WAIT, d -> browser.all("#detail-timeline li.kind-log").isEmpty() ? null : true);
    assertThat(text("#detail-summary .detail-path")).isEqualTo(XSS_PATH_IMG);
    assertThat(text("#detail-timeline li.kind-log .log-message")).isEqualTo(XSS_LOG);
    assertNothingExecuted();
    browser.screenshot("14-xss-detail");

    open("?service=" + XSS + "#/requests");
    awaitRows("search-body", "markup rows", r -> r.size() == 3);
    open("?service=" + XSS + "#/overview");
    browser.await("markup service charted", WAIT, d -> browser.all("#overview-charts article.overview-service").isEmpty() ? null : true);
    assertNothingExecuted();
  }

  @Test
  @Order(12)
  void thePageTalksToItsCollectorOnly() {
    for (String view : List.of("live", "requests", "exceptions", "logs", "overview", "zero-copy", "storage")) {
      open("#/" + view);
      browser.await(view + " rendered", WAIT, d -> "complete".equals(browser.js("return document.readyState")) ? true : null);
      @SuppressWarnings("unchecked")
      List<String> urls = (List<String>) browser.js("return performance.getEntriesByType('resource').map(e => e.name)");
      assertThat(urls).isNotEmpty().allMatch(u -> u.startsWith(base), "same origin");
    }
  }

  // ------------------------------------------------------------------ keyboard, themes, login

  @Test
  @Order(13)
  void keyboardReachesEveryViewAndBothThemesRender() {
    open("#/live");
    awaitRows("requests-body", "Live rows", r -> true);
    WebElement page = browser.driver.findElement(By.tagName("body"));
    page.sendKeys("r");
    browser.await("requests by key", WAIT, d -> d.getCurrentUrl().endsWith("#/requests") ? true : null);
    awaitRows("search-body", "rows", r -> true);
    browser.js("document.querySelector('#search-body tr.request-row').focus()");
    browser.driver.switchTo().activeElement().sendKeys(Keys.ARROW_DOWN);
    String second = rows("search-body").get(1).get("traceId");
    assertThat(browser.driver.switchTo().activeElement().getAttribute("data-trace-id")).isEqualTo(second);
    browser.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
    browser.await("detail by Enter", WAIT, d -> d.getCurrentUrl().contains("#/request/" + second) ? true : null);

    String theme = (String) browser.js("return document.documentElement.dataset.theme");
    browser.byId("theme-toggle").sendKeys(Keys.ENTER);
    String other = (String) browser.js("return document.documentElement.dataset.theme");
    assertThat(other).isNotEqualTo(theme);
    browser.await("detail in the other theme", WAIT, d -> browser.all("#detail-timeline li").isEmpty() ? null : true);
    browser.screenshot("15-detail-" + other);
    for (String view : List.of("live", "exceptions", "overview")) {
      open("#/" + view);
      browser.await(view, WAIT, d -> "complete".equals(browser.js("return document.readyState")) ? true : null);
      browser.await(view + " filled", WAIT, d -> browser.driver.findElements(By.cssSelector(
          "#requests-body tr, #exceptions-body tr, #overview-charts figure")).isEmpty() ? null : true);
      browser.screenshot("16-" + view + "-" + other);
    }
    browser.driver.findElement(By.tagName("body")).sendKeys("t"); // back to the first theme
    assertThat(browser.js("return document.documentElement.dataset.theme")).isEqualTo(theme);
  }

  @Test
  @Order(14)
  void loginPageWhenAuthenticationIsOn() {
    try (CollectorProcess secured = CollectorProcess.start("--admin-password", "ui-test-Pa55word")) {
      assertThat(secured.api().get("/api/requests").status()).isEqualTo(401);
      browser.open("http://127.0.0.1:" + secured.port() + "/#/live");
      browser.await("login page", WAIT, d -> browser.byId("login-view").isDisplayed() ? true : null);
      assertThat(browser.byId("app-main").isDisplayed()).isFalse();
      browser.screenshot("00-login");
      browser.byId("login-username").clear();
      browser.byId("login-username").sendKeys("admin");
      browser.byId("login-password").sendKeys("wrong", Keys.ENTER);
      browser.await("login error", WAIT, d -> browser.byId("login-error").isDisplayed() ? true : null);
      browser.byId("login-password").clear();
      browser.byId("login-password").sendKeys("ui-test-Pa55word", Keys.ENTER);
      browser.await("live view after login", WAIT, d -> browser.byId("view-live").isDisplayed() ? true : null);
      browser.await("live stream after login", WAIT, d -> "live".equals(browser.byId("live-status").getAttribute("data-state")) ? true : null);
      assertThat(browser.byId("login-view").isDisplayed()).isFalse();
    }
  }
}
