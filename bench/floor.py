"""The floor for `--only http`: a bare Bolt app whose handler only acks (the same signing and
execution mode as `lobby serve`), behind the same server with the same settings
(bot.http_server), run as its own process like `lobby serve`: `python -m bench.floor PORT`
(0: any free port, printed). Stops on SIGTERM."""

from __future__ import annotations

import os
import signal
import sys
import threading

from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

from bench.measures.dispatch import bare_app
from bot.http_server import HttpServer


def main(argv: list[str]) -> int:
    port = int(argv[0])
    # The Slack double of the run (SLACK_API_URL): Bolt asks auth.test once, as for lobby serve.
    url = os.environ["SLACK_API_URL"]
    app = bare_app(WebClient(token=os.environ["SLACK_BOT_TOKEN"],
                             base_url=url if url.endswith("/") else url + "/"))
    slack = SlackRequestHandler(app)

    def wsgi(environ, start_response):  # type: ignore[no-untyped-def]
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "3")])
            return [b"ok\n"]
        return slack(environ, start_response)

    server = HttpServer(wsgi, host="127.0.0.1", port=port)
    print(f"listening on 127.0.0.1:{server.port}", flush=True)  # PORT 0: the bench reads it
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    server.stop_when(stop)
    server.serve(drain_seconds=5)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
