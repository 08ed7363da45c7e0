package dev.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The search page in a real headless Chromium (Debian's {@code chromium} and {@code
 * chromium-driver}, driven by Selenium): {@code tessera demo --serve} as a process, then a text
 * query, a dropped picture, an uploaded one, "more like this", and an error. Fails, never skips,
 * when the browser is missing. {@code -Dtessera.screenshot=FILE} saves the page with results.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServePageBrowserTest {
  private static final Pattern SERVING = Pattern.compile("Serving .* at (http://\\S+)");

  Process server;
  String url;
  Path pictures;
  ChromeDriver browser;
  WebDriverWait wait;

  @BeforeAll
  void start(@TempDir Path tmp) throws Exception {
    Path chromium = find("tessera.chromium", "chromium", "chromium-browser", "google-chrome");
    Path driver = find("tessera.chromedriver", "chromedriver");
    Path dir = tmp.resolve("demo");
    ProcessBuilder pb =
        CliProcessTest.tessera(
            "demo", "--out", dir.toString(), "--images", "24", "--serve", "--port", "0");
    withTheSmallClip(pb);
    server = pb.redirectErrorStream(true).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line; url == null && (line = out.readLine()) != null; ) {
      seen.append(line).append('\n');
      Matcher m = SERVING.matcher(line);
      if (m.find()) url = m.group(1);
    }
    assertThat(url).as("tessera demo --serve printed its URL:\n" + seen).isNotNull();
    assertThat(seen.toString()).doesNotContain("Exception");
    Thread drain = new Thread(() -> out.lines().forEach(l -> {}), "serve-output");
    drain.setDaemon(true);
    drain.start();
    pictures = dir.resolve("pictures");

    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.toFile());
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000");
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile()).build();
    browser = new ChromeDriver(service, options);
    wait = new WebDriverWait(browser, Duration.ofSeconds(20));
  }

  @AfterAll
  void stop() throws Exception {
    if (browser != null) browser.quit();
    if (server != null) {
      server.destroy();
      server.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** The binary named by {@code -Dproperty}, or the first of {@code names} on the PATH. */
  static Path find(String property, String... names) {
    String given = System.getProperty(property);
    if (given != null && !given.isBlank()) return Path.of(given);
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String n : names) {
        Path p = Path.of(dir, n);
        if (Files.isExecutable(p)) return p;
      }
    }
    throw new AssertionError(
        "The page's browser test needs "
            + String.join(" or ", names)
            + " on the PATH (or -D"
            + property
            + "=FILE): install them with 'apt-get install -y chromium chromium-driver' (.ci/run"
            + " does).");
  }

  /** As DemoProcessTest does: the child finds the project's small CLIP. */
  static void withTheSmallClip(ProcessBuilder pb) {
    String models = System.getProperty("tessera.models");
    pb.command()
        .add(
            1,
            models != null
                ? "-Dtessera.models=" + models
                : "-Dtessera.home=" + DemoProcessTest.repoRoot());
  }

  List<WebElement> hits() {
    return browser.findElements(By.cssSelector("#results .hit"));
  }

  /** Waits until the status line starts with {@code prefix} (a search finished) and the grid. */
  void awaitResults(String label) {
    wait.until(
        ExpectedConditions.textMatches(
            By.id("status"), Pattern.compile("\\d+ hits for " + Pattern.quote(label))));
  }

  @Test
  void search_drop_upload_more_like_this_and_an_error() throws Exception {
    browser.get(url);
    wait.until(
        ExpectedConditions.textMatches(
            By.id("info"), Pattern.compile("demo\\.tessera .*\\(24 images")));

    // a text query: the top thumbnail is a picture of that colour and shape
    String caption = firstCaption();
    Matcher m = Pattern.compile("an? \\w+ (\\w+) (\\w+) on").matcher(caption);
    assertThat(m.find()).isTrue();
    String colourShape = m.group(1) + "-" + m.group(2);
    browser.findElement(By.id("text")).sendKeys(caption);
    browser.findElement(By.id("go")).click();
    awaitResults("\"" + caption + "\"");
    WebElement top = hits().get(0);
    assertThat(top.getDomAttribute("data-id")).contains(colourShape);
    WebElement img = top.findElement(By.tagName("img"));
    wait.until(
        d ->
            (Boolean)
                ((JavascriptExecutor) d)
                    .executeScript(
                        "return arguments[0].complete && arguments[0].naturalWidth > 0", img));
    String shot = System.getProperty("tessera.screenshot");
    if (shot != null && !shot.isBlank()) {
      Files.write(Path.of(shot), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    // a picture dropped on the drop zone finds itself first
    String dropped = "image:" + pictureName(3);
    ((JavascriptExecutor) browser)
        .executeAsyncScript(
            "const [url, name, done] = arguments;"
                + "fetch(url).then(r => r.blob()).then(b => {"
                + "  const dt = new DataTransfer();"
                + "  dt.items.add(new File([b], name, {type: 'image/png'}));"
                + "  document.getElementById('drop').dispatchEvent("
                + "    new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));"
                + "  done(); });",
            "/files/" + java.net.URLEncoder.encode(dropped, StandardCharsets.UTF_8),
            pictureName(3));
    awaitResults("the picture " + pictureName(3));
    assertThat(hits().get(0).getDomAttribute("data-id")).isEqualTo(dropped);

    // the file picker
    browser.findElement(By.id("file")).sendKeys(pictures.resolve(pictureName(5)).toString());
    awaitResults("the picture " + pictureName(5));
    assertThat(hits().get(0).getDomAttribute("data-id")).isEqualTo("image:" + pictureName(5));

    // more like this: clicking the second picture searches with it
    WebElement second = hits().get(1);
    String secondId = second.getDomAttribute("data-id");
    second.findElement(By.tagName("img")).click();
    awaitResults("pictures like " + secondId);
    assertThat(hits().get(0).getDomAttribute("data-id")).isEqualTo(secondId);

    // an error: a malformed filter says where
    browser.findElement(By.id("where")).sendKeys("year >=");
    browser.findElement(By.id("go")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
    assertThat(browser.findElement(By.id("error")).getText())
        .startsWith("Bad filter at position 8 of 'year >='");
    assertThat(hits()).isEmpty();
  }

  private String firstCaption() throws Exception {
    return Files.readAllLines(pictures.resolve("captions.csv")).get(1).split(",", 2)[1];
  }

  private String pictureName(int i) throws Exception {
    return Files.readAllLines(pictures.resolve("captions.csv")).get(i + 1).split(",", 2)[0];
  }
}
