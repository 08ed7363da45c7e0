// The vendor build must have run the whole kit: a Surefire summary with no failure, error or skip, and a passing
// test case for every kit test that conformance/README.md's kit-proof table lists (KitProofTest keeps that table
// equal to the tests the kit runs). "Tests run: 0" and BUILD SUCCESS, what Maven 3.8's default Surefire 2.12.4
// gives, fails here.
def fail = { String why -> throw new AssertionError("vendor-store: " + why + " (log: " + new File(basedir, 'build.log') + ")") }

def log = new File(basedir, 'build.log').text
def summaries = (log =~ /Tests run: (\d+), Failures: (\d+), Errors: (\d+), Skipped: (\d+)\r?\n/).collect { it }
if (summaries.isEmpty()) fail('the build log has no Surefire summary: no test ran, so the kit never ran')
def (all, run, failures, errors, skipped) = summaries.last().collect { it as String }
if (run as int == 0) fail("Tests run: 0, the kit never ran (Maven 3.8's default Surefire 2.12.4 finds no JUnit 5 test; the README asks for 3.2.5 or newer)")
if ((failures as int) + (errors as int) != 0) fail("the kit failed the example store: " + all.trim())
if (skipped as int != 0) fail("the example store declares every capability, yet " + skipped + " kit tests were skipped")

def report = new File(basedir, 'target/surefire-reports/TEST-com.example.tinystore.TinyStoreConformanceTest.xml')
if (!report.isFile()) fail('no Surefire report ' + report)
def cases = (report.text =~ /<testcase name="([^"]*)"/).collect { it[1] as String }
if (cases.size() != (run as int)) fail("the summary says " + run + " tests ran, the report lists " + cases.size())

def readme = new File(basedir, '../../../README.md').text
def table = readme.substring(readme.indexOf('<!-- kit-proof-table'), readme.indexOf('<!-- end of kit-proof-table'))
// the project must be the README's recipe: the Surefire it pins is the one the README shows
def pom = new File(basedir, 'pom.xml').text
def surefire = { String text -> def m = text =~ /<artifactId>maven-surefire-plugin<\/artifactId>\s*<version>([^<]+)<\/version>\s*<configuration>\s*<failIfNoTests>true<\/failIfNoTests>/; m.find() ? m.group(1) : null }
if (surefire(pom) == null) fail('pom.xml no longer pins Surefire with failIfNoTests as the README does')
if (surefire(readme) != surefire(pom)) fail('the README pins Surefire ' + surefire(readme) + ', this project ' + surefire(pom) + '; keep them equal')

def kitTests = (table =~ /\| `[A-Za-z]+Contract` \| `([A-Za-z0-9_]+)` \|/).collect { it[1] as String }
if (kitTests.size() < 30) fail('found only ' + kitTests.size() + ' kit tests in the README table; is its format changed?')
def missing = kitTests.findAll { t -> !cases.any { it == t || it.startsWith(t + '(') || it.startsWith(t + '[') } }
if (!missing.isEmpty()) fail('these kit tests did not run: ' + missing)
println "vendor-store: the whole kit ran on the example store: ${run} tests (${kitTests.size()} kit tests), 0 failures"
return true
