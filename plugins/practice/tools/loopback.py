"""An HTTP server on 127.0.0.1 in a background thread, used as a context
manager: the tests' static site servers are built on it.

    with LoopbackServer(handler) as server:   # port 0: a free port
        print(server.url)                     # http://127.0.0.1:PORT
"""

import http.server
import threading


class LoopbackServer:
    def __init__(self, handler, port=0):
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
