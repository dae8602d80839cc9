"""`python -m bot.console`: the staff console's web server (started by `nightingale up`)."""

from __future__ import annotations

import logging

from bot.console.app import create_app
from bot.settings import get_settings


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = get_settings()
    app = create_app(settings)
    # One process: the console serves a handful of staff; its database work runs on worker threads.
    app.run(
        host=settings.console_host, port=settings.console_port, access_log=False, workers=1, motd=False, debug=False
    )


if __name__ == "__main__":
    main()
