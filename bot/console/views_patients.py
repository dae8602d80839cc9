from sanic import Sanic


def register(app: Sanic) -> None:
    pass
