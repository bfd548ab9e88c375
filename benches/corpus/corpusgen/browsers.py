"""Chromium and Firefox ESR driven like a person drives them: started once per session on a
fresh profile, walking from page to page (each page asks the server where to go next), and the
address bar typed into with xdotool while its suggestion list is open."""

import os

FIREFOX_PREFS = {
    # first-run pages, default-browser nags, telemetry, updates and every background connection off
    "browser.shell.checkDefaultBrowser": False, "browser.startup.homepage_override.mstone": "ignore",
    "startup.homepage_welcome_url": "", "startup.homepage_welcome_url.additional": "",
    "browser.aboutwelcome.enabled": False, "browser.startup.page": 0, "browser.newtabpage.enabled": False,
    "datareporting.policy.dataSubmissionEnabled": False, "datareporting.healthreport.uploadEnabled": False,
    "toolkit.telemetry.enabled": False, "toolkit.telemetry.unified": False, "toolkit.telemetry.archive.enabled": False,
    "app.normandy.enabled": False, "app.update.enabled": False, "app.update.auto": False,
    "app.shield.optoutstudies.enabled": False, "browser.discovery.enabled": False,
    "browser.search.suggest.enabled": False, "browser.urlbar.suggest.searches": False,
    "browser.urlbar.quicksuggest.enabled": False, "browser.urlbar.suggest.quicksuggest.sponsored": False,
    "browser.urlbar.suggest.quicksuggest.nonsponsored": False, "browser.urlbar.suggest.trending": False,
    "browser.urlbar.suggest.topsites": False, "browser.urlbar.suggest.engines": False,
    "network.captive-portal-service.enabled": False, "network.connectivity-service.enabled": False,
    "network.dns.disablePrefetch": True, "network.prefetch-next": False, "network.http.speculative-parallel-limit": 0,
    "browser.safebrowsing.malware.enabled": False, "browser.safebrowsing.phishing.enabled": False,
    "browser.safebrowsing.downloads.enabled": False, "browser.safebrowsing.downloads.remote.enabled": False,
    "extensions.update.enabled": False, "extensions.getAddons.cache.enabled": False, "extensions.pocket.enabled": False,
    "extensions.systemAddon.update.enabled": False, "browser.region.update.enabled": False,
    "browser.region.network.url": "", "geo.enabled": False, "services.settings.server": "http://127.0.0.1:9/",
    "messaging-system.rsexperimentloader.enabled": False, "browser.uitour.enabled": False,
    "browser.tabs.firefox-view": False, "signon.rememberSignons": False, "browser.translations.enable": False,
    "identity.fxaccounts.enabled": False, "browser.newtabpage.activity-stream.feeds.telemetry": False,
    "browser.ping-centre.telemetry": False, "media.autoplay.default": 5, "browser.sessionstore.resume_from_crash": False,
    "browser.tabs.warnOnClose": False, "browser.warnOnQuit": False, "network.proxy.no_proxies_on": "",
    "network.proxy.allow_hijacking_localhost": True, "network.proxy.type": 1, "browser.download.panel.shown": True,
    "network.stricttransportsecurity.preloadlist": False, "dom.security.https_first": False,
    "dom.security.https_first_schemeless": False, "sidebar.revamp": False, "browser.ml.chat.enabled": False, "browser.profiles.enabled": False,
}


def _pref(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'


class Browser:
    """One browser process on an XSession; `kind` is chromium or firefox."""

    def __init__(self, kind, xs, site, port, scale=1.0, dark=False):
        self.kind, self.xs, self.site, self.port = kind, xs, site, port
        self.scale, self.dark = scale, dark
        self.proc = None
        self.current = None
        self.profile = os.path.join(xs.workdir, f"{kind}-profile")

    def start(self, page_id, url, timeout=90):
        w, h = self.xs.size
        log = os.path.join(self.xs.workdir, f"{self.kind}.log")
        if self.kind == "chromium":
            argv = ["chromium", "--no-sandbox", "--test-type", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
                    "--disable-features=Translate,MediaRouter,OptimizationHints,AutofillServerCommunication,SidePanelPinning",
                    "--disable-breakpad", "--disable-domain-reliability", "--no-pings", "--password-store=basic",
                    f"--user-data-dir={self.profile}", f"--host-resolver-rules=MAP * 127.0.0.1:{self.port}",
                    "--window-position=0,0", f"--window-size={w},{h}", f"--force-device-scale-factor={self.scale}"]
            if self.dark:
                argv.append("--force-dark-mode")
            self.proc = self.xs.spawn(argv + [url], log=log)
            cls = "chromium"
        else:
            os.makedirs(self.profile, exist_ok=True)
            prefs = dict(FIREFOX_PREFS)
            prefs.update({"network.proxy.http": "127.0.0.1", "network.proxy.http_port": self.port,
                          "network.proxy.ssl": "127.0.0.1", "network.proxy.ssl_port": self.port,
                          "layout.css.devPixelsPerPx": f"{self.scale}"})
            if self.dark:
                prefs.update({"ui.systemUsesDarkTheme": 1, "browser.theme.toolbar-theme": 0, "browser.theme.content-theme": 0,
                              "extensions.activeThemeID": "firefox-compact-dark@mozilla.org"})
            with open(os.path.join(self.profile, "user.js"), "w") as f:
                f.write("".join(f"user_pref(\"{k}\", {_pref(v)});\n" for k, v in prefs.items()))
            env = self.xs.env(MOZ_CRASHREPORTER_DISABLE="1", MOZ_DISABLE_AUTO_SAFE_MODE="1")
            self.proc = self.xs.spawn(["firefox-esr", "--no-remote", "--profile", self.profile, "--width", str(w),
                                       "--height", str(h), url], env=env, log=log)
            cls = "firefox"
        self.window = self.xs.wait_window(cls=cls, timeout=timeout)
        if not self.site.wait_loaded(page_id, timeout):
            raise TimeoutError(f"{self.kind}: first page did not load")
        self.current = page_id
        self.xs.park_pointer()

    def visit(self, page_id, url, timeout=60):
        self.site.go(self.current, url)
        if not self.site.wait_loaded(page_id, timeout):
            raise TimeoutError(f"{self.kind}: {url} did not load")
        self.current = page_id

    def focus(self):
        self.xs.xdotool("windowactivate", "--sync", self.window, check=False)

    def type_in_address_bar(self, text, delay_ms):
        self.focus()
        self.xs.key("ctrl+l")
        self.xs.type(text, delay_ms)

    def leave_address_bar(self):
        self.xs.key("Escape")
        self.xs.key("Escape")

    def close(self):
        if self.proc:
            self.xs.stop(self.proc)
            self.proc = None
