"""`nightingale demo-data`: fill a fresh database with the demo clinic."""

from __future__ import annotations

import argparse

from bot.scheduling.demo import load_demo
from bot.settings import get_settings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("demo-data", help="create the demo clinic (providers, hours, patients) if empty")
    parser.add_argument("--database-url", help="defaults to DATABASE_URL / the data folder's SQLite file")
    parser.set_defaults(func=_demo_data)


def _demo_data(args: argparse.Namespace) -> int:
    created = load_demo(args.database_url or get_settings().database_url)
    print("demo clinic created" if created else "providers already exist; demo data left alone")
    return 0
