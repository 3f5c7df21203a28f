using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace LrDoctor.Tests.Web;

/// <summary>Debian's headless Chromium driven through chromedriver, with a fresh profile directory per session.</summary>
internal sealed class ChromeSession : IDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string ChromeDriverPath = "/usr/bin/chromedriver";

    private readonly string _profileDir;

    private ChromeSession(ChromeDriver driver, string profileDir)
    {
        Driver = driver;
        _profileDir = profileDir;
    }

    public ChromeDriver Driver { get; }

    /// <summary>Starts Chromium at a laptop-sized window (1280x800 by default).</summary>
    public static ChromeSession Start(int width = 1280, int height = 800)
    {
        foreach (string path in new[] { ChromiumPath, ChromeDriverPath })
        {
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"{path} is missing: install Debian's chromium and chromium-driver (.ci/run does: bash .ci/install-deps chromium chromium-driver)");
            }
        }

        string profileDir = Path.Combine(Path.GetTempPath(), "lrdoctor-chromium-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(profileDir);
        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments(
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", $"--window-size={width},{height}", $"--user-data-dir={profileDir}");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriverPath)!, Path.GetFileName(ChromeDriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        return new ChromeSession(driver, profileDir);
    }

    /// <summary>Waits until <paramref name="condition"/> returns a non-null value, polling the page.</summary>
    public T WaitFor<T>(Func<IWebDriver, T?> condition, TimeSpan timeout, string what)
    {
        var wait = new WebDriverWait(Driver, timeout) { PollingInterval = TimeSpan.FromMilliseconds(200), Message = what };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        return wait.Until(d => condition(d))!;
    }

    /// <summary>Gets the dashboard chart <paramref name="id"/> once <paramref name="ready"/> holds for it (for <see cref="WaitFor"/>).</summary>
    public static IWebElement? Chart(IWebDriver driver, string id, Func<IWebElement, bool> ready)
    {
        var chart = driver.FindElement(By.CssSelector($"figure.chart[data-chart='{id}']"));
        return ready(chart) ? chart : null;
    }

    /// <summary>Saves a screenshot into the test output folder's <c>artifacts/</c> and returns its path.</summary>
    public string SaveScreenshot(string name)
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, name + ".png");
        Driver.GetScreenshot().SaveAsFile(path);
        return path;
    }

    /// <summary>Gets what the page logged to the console (errors included), for assertion messages.</summary>
    public string BrowserLog()
    {
        try
        {
            return string.Join('\n', Driver.Manage().Logs.GetLog(LogType.Browser).Select(e => $"{e.Level}: {e.Message}"));
        }
        catch (WebDriverException)
        {
            return "(browser log unavailable)";
        }
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        try
        {
            Directory.Delete(_profileDir, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still hold a lock file for a moment; the temp folder is cleaned eventually.
        }
    }
}
