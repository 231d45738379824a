"""The preview's web server (`make serve`), on 127.0.0.1 only.

It serves the preview folder as a static host would (``/blog/x/`` is
``blog/x/index.html``; a missing page gets the site's own 404 page with
status 404) and adds what only a preview needs, at serve time so that no
built file ever contains it:

- every HTML page gets one same-origin script, ``/_preview/reload.js``
  (allowed by the site's ``script-src 'self'``), which listens to
  ``/_preview/events`` (Server-Sent Events, ``connect-src 'self'``): after
  each successful rebuild that changed it (each event names the pages that
  changed, or none when every page may have) the page reloads itself; after
  a failed one it shows the error over the page until the next save fixes it;
- nothing is cached, so a reload always shows the newest build.
"""

import http.server
import json
import mimetypes
import os
import posixpath
import signal
import threading
import urllib.parse

ASSETS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "preview")
PREFIX = "/_preview/"
HEARTBEAT_SECONDS = 15
STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}

mimetypes.add_type("application/wasm", ".wasm")
mimetypes.add_type("application/manifest+json", ".webmanifest")
mimetypes.add_type("text/javascript", ".js")


class BuildState:
    """The latest build: a generation number and, after a failed build, its
    error lines. Event streams wait on it."""

    def __init__(self):
        self.generation = 0
        self.errors = None
        self.closed = False
        self.changed = threading.Condition()
        self.files = {}  # generation -> pages it changed (None: any page)

    def built(self, files=None):
        with self.changed:
            self.generation += 1
            self.errors = None
            self.files[self.generation] = None if files is None else list(files)
            self.files.pop(self.generation - 1000, None)
            self.changed.notify_all()

    def files_since(self, since, generation):
        """The pages changed after ``since`` up to ``generation`` (None: any page)."""
        with self.changed:
            found = set()
            for number in range(since + 1, generation + 1):
                files = self.files.get(number)
                if files is None:
                    return None
                found.update(files)
            return sorted(found)

    def failed(self, lines):
        with self.changed:
            self.generation += 1
            self.errors = list(lines)
            self.changed.notify_all()

    def close(self):
        with self.changed:
            self.closed = True
            self.changed.notify_all()

    def wait(self, since, timeout):
        """The (generation, errors) after ``since``, or None after ``timeout``."""
        with self.changed:
            self.changed.wait_for(lambda: self.closed or self.generation != since, timeout)
            if self.closed:
                raise ConnectionAbortedError
            if self.generation == since:
                return None
            return self.generation, self.errors


def handler_for(root, state):
    root = os.path.abspath(root)

    class Handler(http.server.BaseHTTPRequestHandler):
        server_version = "preview"
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # the terminal is for build messages
            pass

        def do_HEAD(self):
            self.do_GET(body=False)

        def do_GET(self, body=True):
            path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
            if path == PREFIX + "events":
                return self.events()
            if path.startswith(PREFIX):
                return self.asset(path[len(PREFIX):], body)
            file = self.resolve(path)
            if file is None and not path.endswith("/") and self.resolve(path + "/"):
                return self.redirect(path + "/")
            if file is None:
                return self.send_file(os.path.join(root, "404.html"), 404, body)
            return self.send_file(file, 200, body)

        def resolve(self, path):
            parts = [p for p in posixpath.normpath(path).split("/") if p not in ("", ".")]
            if ".." in parts:
                return None
            file = os.path.join(root, *parts)
            if path.endswith("/") or os.path.isdir(file):
                if not path.endswith("/"):
                    return None
                file = os.path.join(file, "index.html")
            real = os.path.realpath(file)
            if not (real == root or real.startswith(os.path.realpath(root) + os.sep)):
                return None
            return file if os.path.isfile(file) else None

        def redirect(self, location):
            self.send_response(301)
            self.send_header("Location", urllib.parse.quote(location))
            self.send_header("Content-Length", "0")
            self.end_headers()

        def send_file(self, file, status, body):
            try:
                with open(file, "rb") as f:
                    data = f.read()
            except OSError:
                data, status = b"Not found\n", 404
                ctype = "text/plain; charset=utf-8"
            else:
                ctype = mimetypes.guess_type(file)[0] or "application/octet-stream"
                if ctype == "text/html":
                    data = inject(data, state.generation)
                if ctype.startswith("text/") or ctype.endswith(("javascript", "json", "xml")):
                    ctype += "; charset=utf-8"
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if body:
                self.wfile.write(data)

        def asset(self, name, body):
            if name not in ("reload.js", "reload.css"):
                return self.send_file(os.path.join(root, "404.html"), 404, body)
            return self.send_file(os.path.join(ASSETS, name), 200, body)

        def events(self):
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
            try:
                since = int(query.get("since", ["-1"])[0])
            except ValueError:
                since = -1
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            try:
                with state.changed:
                    current, errors = state.generation, state.errors
                if errors is not None:
                    self.send_event("failed", {"lines": errors})
                elif since not in (-1, current):
                    self.send_event("reload", {"generation": current,
                                               "files": state.files_since(since, current)})
                seen = current
                while True:
                    news = state.wait(seen, HEARTBEAT_SECONDS)
                    if news is None:
                        self.wfile.write(b": still here\n\n")
                        self.wfile.flush()
                        continue
                    before, (seen, errors) = seen, news
                    if errors is None:
                        self.send_event("reload", {"generation": seen,
                                                   "files": state.files_since(before, seen)})
                    else:
                        self.send_event("failed", {"lines": errors})
            except (ConnectionError, OSError):
                return

        def send_event(self, name, data):
            self.wfile.write(f"event: {name}\ndata: {json.dumps(data)}\n\n".encode())
            self.wfile.flush()

    return Handler


def inject(html, generation):
    """Adds the reload script to a page, in its head (or at the end)."""
    tag = (f'<script src="{PREFIX}reload.js" data-generation="{generation}" defer>'
           "</script>").encode()
    at = html.find(b"</head>")
    if at < 0:
        return html + tag
    return html[:at] + tag + html[at:]


class PreviewServer:
    """The preview's HTTP server in a background thread."""

    def __init__(self, root, state, bind="127.0.0.1", port=8000):
        self.httpd = http.server.ThreadingHTTPServer((bind, port), handler_for(root, state))
        self.httpd.daemon_threads = True
        self.state = state
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self):
        # Stop signals are for the main thread (which stops everything); the
        # server's threads, which inherit this mask, never take them.
        signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        self.httpd.serve_forever()

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.state.close()
        if self.thread.is_alive():
            self.httpd.shutdown()
        self.httpd.server_close()
