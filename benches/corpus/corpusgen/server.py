"""The loopback web server every browser screen is served from (Python's http.server, bound to
127.0.0.1). Chromium reaches it for any host name through --host-resolver-rules, Firefox
through its HTTP proxy setting (the request line then carries the absolute URL), so the address
bar shows intranet hosts while nothing leaves the machine.

Pages report when they have loaded and poll for where to go next (nav.js), so one browser
process walks through many pages the way a person does, building up a history that the address
bar's suggestion list then shows."""

import http.server
import json
import socketserver
import threading
import urllib.parse

NAV_JS = """(function () {
  var id = document.currentScript.getAttribute('data-page');
  function ready() {
    requestAnimationFrame(function () { requestAnimationFrame(function () {
      fetch('/__corpus/loaded?p=' + id).catch(function () {});
    }); });
  }
  (document.fonts ? document.fonts.ready : Promise.resolve()).then(function () {
    if (document.readyState === 'complete') ready(); else window.addEventListener('load', ready);
  });
  function poll() {
    fetch('/__corpus/next?p=' + id).then(function (r) {
      if (r.status === 200) return r.text().then(function (u) { location.href = u; });
      setTimeout(poll, 150);
    }).catch(function () { setTimeout(poll, 300); });
  }
  setTimeout(poll, 300);
})();
"""


class Site:
    """Pages by (host, path), load events by page id, and the next URL each page should open."""

    def __init__(self):
        self.pages = {}
        self.loaded = {}
        self.next = {}
        self.lock = threading.Lock()

    def add(self, page_id, host, path, html):
        with self.lock:
            self.pages[(host.lower(), path)] = html
            self.loaded[page_id] = threading.Event()

    def go(self, from_id, url):
        with self.lock:
            self.next[from_id] = url

    def wait_loaded(self, page_id, timeout):
        return self.loaded[page_id].wait(timeout)


def _handler(site):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _send(self, code, body=b"", ctype="text/plain; charset=utf-8"):
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_GET(self):
            u = urllib.parse.urlsplit(self.path)
            host = (u.hostname or self.headers.get("Host", "").split(":")[0]).lower()
            q = urllib.parse.parse_qs(u.query)
            if u.path == "/__corpus/nav.js":
                return self._send(200, NAV_JS.encode(), "application/javascript")
            if u.path == "/__corpus/loaded":
                ev = site.loaded.get(q.get("p", [""])[0])
                if ev:
                    ev.set()
                return self._send(204)
            if u.path == "/__corpus/next":
                with site.lock:
                    nxt = site.next.pop(q.get("p", [""])[0], None)
                return self._send(200, nxt.encode()) if nxt else self._send(204)
            html = site.pages.get((host, u.path))
            if html is None:
                return self._send(404, b"not found")
            return self._send(200, html.encode("utf-8"), "text/html; charset=utf-8")

        do_HEAD = do_GET

        def do_CONNECT(self):  # the browser's own background requests: refused, never forwarded
            self._send(405)

        def do_POST(self):
            self._send(405)

        def log_message(self, *args):
            pass

    return Handler


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass  # a browser closing a connection mid-request is not news


def serve(site):
    """Start serving `site` on a free loopback port; returns (server, port)."""
    srv = Server(("127.0.0.1", 0), _handler(site))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, srv.server_address[1]


def dumps(obj):
    return json.dumps(obj, indent=1, ensure_ascii=False)
